/**
 * `surrogate.from`: an inversion campaign takes a trained surrogate instead of training its own:
 * that of an earlier inversion campaign (case 3: with its decoder), e.g. to rerun the optimisers
 * with other settings at no training cost, or one model of a `surrogates` campaign (its model id),
 * e.g. a long training run on its own. Everything the surrogate depends on must agree (case,
 * dataset, observation scaling, arch, input); the models are registered under this campaign's ids
 * (same artifacts, `hyperparams.reusedFrom` naming the source model) with their metrics, so the
 * rest of the campaign and its report read them like its own. Idempotent.
 */
import { and, desc, eq } from 'drizzle-orm';
import { upsertModel } from '../../db/model-store.js';
import { campaigns, metrics, models } from '../../db/schema.js';
import type { Database } from '../../db/client.js';
import { upsertMetrics } from '../../db/metric-store.js';
import { SpecError } from '../../engine/spec-error.js';
import { inversionCase, surrogateInputKind } from './cases.js';
import { decoderModelId, modelRow, surrogateModelId, type ModelRow } from './model-rows.js';
import { concentrationScaling, type InversionSpec } from './spec.js';

function refused(message: string, path = 'surrogate.from'): SpecError {
  return new SpecError(message, [{ path, message }]);
}

/** What the source campaign's stored (already validated) spec says about its data. */
type SourceSpec = Pick<InversionSpec, 'case' | 'observationScaling'>;

interface Source {
  campaignId: string;
  spec: SourceSpec;
  surrogate: ModelRow;
  /** The inversion campaign whose decoder comes along (null: a surrogates campaign has none). */
  decoderCampaignId: string | null;
}

const NOT_FOUND =
  "neither a model id of a surrogates campaign, nor an inversion campaign's id, nor the name of a completed inversion campaign; see `plume list` and the models table";

/**
 * A model id whose campaign part is a surrogates campaign's name (`<name>:<arch>:n<size>:r<repeat>`)
 * as the model id in the newest completed campaign of that name (null: no such campaign).
 */
async function modelIdByCampaignName(database: Database, ref: string): Promise<string | null> {
  const cut = ref.indexOf(':');
  if (cut <= 0) return null;
  const [campaign] = await database.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.name, ref.slice(0, cut)), eq(campaigns.kind, 'surrogates'), eq(campaigns.status, 'completed')))
    .orderBy(desc(campaigns.finishedAt))
    .limit(1);
  return campaign ? `${campaign.id}${ref.slice(cut)}` : null;
}

/**
 * A surrogates campaign's model by id (or by the campaign's name in place of its id: the newest
 * completed one); else an inversion campaign by id, else the newest completed one with that name.
 */
async function findSource(database: Database, ref: string): Promise<Source> {
  let [model] = await database.db.select().from(models).where(eq(models.id, ref));
  if (!model) {
    const byName = await modelIdByCampaignName(database, ref);
    if (byName) [model] = await database.db.select().from(models).where(eq(models.id, byName));
  }
  if (model) {
    const [owner] = await database.db.select().from(campaigns).where(eq(campaigns.id, model.campaignId));
    if (owner?.kind !== 'surrogates' && owner?.kind !== 'inversion')
      throw refused(`surrogate.from: model '${ref}' belongs to a ${owner?.kind ?? 'missing'} campaign; name a surrogates campaign's model`);
    if (!model.artifactId) throw refused(`surrogate.from: model '${model.id}' has no stored weights (its training did not finish)`);
    return { campaignId: owner.id, spec: owner.spec as SourceSpec, surrogate: model, decoderCampaignId: owner.kind === 'inversion' ? owner.id : null };
  }
  let [row] = await database.db.select().from(campaigns).where(eq(campaigns.id, ref));
  row ??= (
    await database.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.name, ref), eq(campaigns.kind, 'inversion'), eq(campaigns.status, 'completed')))
      .orderBy(desc(campaigns.finishedAt))
      .limit(1)
  )[0];
  if (!row) throw refused(`surrogate.from: no '${ref}' (${NOT_FOUND})`);
  if (row.kind !== 'inversion')
    throw refused(`surrogate.from: '${ref}' is a ${row.kind} campaign; name an inversion campaign, or one model of a surrogates campaign by its model id`);
  const spec = row.spec as SourceSpec & Pick<InversionSpec, 'surrogate'>;
  const sur = await modelRow(database, surrogateModelId(row.id, spec.surrogate.arch));
  if (!sur)
    throw refused(
      `surrogate.from: campaign ${row.id} has no trained surrogate (its setup step did not finish); finish it first (plume retry ${row.id} --failed --wait)`,
    );
  return { campaignId: row.id, spec, surrogate: sur, decoderCampaignId: row.id };
}

/** Copy a model row and its metrics under a new id; `surrogateScores`: also its test scores as the campaign's `surrogate_*` metrics. */
async function copyModel(database: Database, source: ModelRow, id: string, campaignId: string, surrogateScores: boolean): Promise<void> {
  const row = { ...source, id, campaignId, hyperparams: { ...(source.hyperparams as object), reusedFrom: source.id }, createdAt: new Date() };
  await upsertModel(database, row);
  const rows = await database.db
    .select()
    .from(metrics)
    .where(and(eq(metrics.ownerType, 'model'), eq(metrics.ownerId, source.id)));
  await upsertMetrics(
    database,
    rows.map((r) => ({ ownerType: 'model', ownerId: id, name: r.name, split: r.split, step: r.step, value: r.value })),
  );
  const scores = rows.filter((r) => r.step === -1 && (r.name === 'rmse' || r.name === 'r2') && ['heads', 'conc', 'all'].includes(r.split));
  if (surrogateScores)
    await upsertMetrics(
      database,
      scores.map((r) => ({ ownerType: 'campaign', ownerId: campaignId, name: `surrogate_${r.name}`, split: r.split, step: -1, value: r.value })),
    );
}

/** The surrogate (and decoder) this campaign can take; SpecError naming the field when they do not fit. */
export async function matchSurrogateSource(
  database: Database,
  spec: InversionSpec,
  datasetId: string,
  ref: string,
): Promise<{ surrogate: ModelRow; decoder: ModelRow | null }> {
  const src = await findSource(database, ref);
  const sur = src.surrogate;
  if (src.spec.case !== spec.case)
    throw refused(`surrogate.from: campaign ${src.campaignId} models ${src.spec.case}, this spec ${spec.case}: name a ${spec.case} surrogate`);
  const hp = sur.hyperparams as { inputKind?: string; datasetId?: string };
  if (sur.arch !== spec.surrogate.arch)
    throw refused(`surrogate.arch: the surrogate ${sur.id} is a ${sur.arch}; set surrogate.arch: ${sur.arch}`, 'surrogate.arch');
  const inputKind = surrogateInputKind(spec.case, spec.surrogate.input);
  if (hp.inputKind !== inputKind)
    throw refused(`surrogate.input: the surrogate ${sur.id} reads the ${hp.inputKind}; set surrogate.input: ${hp.inputKind}`, 'surrogate.input');
  if (hp.datasetId !== datasetId)
    throw refused(
      `dataset: the surrogate ${sur.id} was trained on dataset ${hp.datasetId}, this campaign uses ${datasetId}; set dataset: ${hp.datasetId}`,
      'dataset',
    );
  const [mine, theirs] = [concentrationScaling(spec), concentrationScaling(src.spec)];
  if (mine !== theirs)
    throw refused(
      `observationScaling.concentrations: the surrogate ${sur.id} scales concentrations per ${theirs}, this spec per ${mine}; set observationScaling.concentrations: ${theirs}`,
      'observationScaling.concentrations',
    );
  let decoder: ModelRow | null = null;
  if (inversionCase(spec.case).needsDecoder) {
    if (!src.decoderCampaignId)
      throw refused(`surrogate.from: ${spec.case} also needs the decoder, which only an inversion campaign trains: name an inversion campaign`);
    decoder = await modelRow(database, decoderModelId(src.decoderCampaignId));
    if (!decoder)
      throw refused(
        `surrogate.from: campaign ${src.decoderCampaignId} has no trained decoder; finish it first (plume retry ${src.decoderCampaignId} --failed --wait)`,
      );
  }
  return { surrogate: sur, decoder };
}

/** Register the source's trained surrogate (and decoder) as this campaign's. */
export async function reuseSurrogate(database: Database, spec: InversionSpec, campaignId: string, datasetId: string, ref: string): Promise<void> {
  const { surrogate, decoder } = await matchSurrogateSource(database, spec, datasetId, ref);
  if (decoder) await copyModel(database, decoder, decoderModelId(campaignId), campaignId, false);
  await copyModel(database, surrogate, surrogateModelId(campaignId, surrogate.arch), campaignId, true);
}
