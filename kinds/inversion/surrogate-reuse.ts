/**
 * `surrogate.from`: an inversion campaign takes the trained surrogate (case 3: and the decoder) of
 * an earlier inversion campaign in the same database instead of training its own, e.g. to rerun
 * the optimisers with other settings at no training cost. Everything the surrogate depends on must
 * agree (case, dataset, observation scaling, arch, input); the models are registered under this
 * campaign's ids (same artifacts, `hyperparams.reusedFrom` naming the source) with their metrics,
 * so the rest of the campaign and its report read them like its own. Idempotent.
 */
import { and, desc, eq } from 'drizzle-orm';
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

/** What the source campaign's stored (already validated) spec says about its surrogate. */
type SourceSpec = Pick<InversionSpec, 'case' | 'surrogate' | 'observationScaling'>;

/** The source campaign: an inversion campaign by id, else the newest completed one with that name. */
async function sourceCampaign(database: Database, ref: string): Promise<{ id: string; spec: SourceSpec }> {
  let [row] = await database.db.select().from(campaigns).where(eq(campaigns.id, ref));
  row ??= (
    await database.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.name, ref), eq(campaigns.kind, 'inversion'), eq(campaigns.status, 'completed')))
      .orderBy(desc(campaigns.finishedAt))
      .limit(1)
  )[0];
  if (!row) throw refused(`surrogate.from: no campaign '${ref}' (neither a campaign id nor the name of a completed inversion campaign); see \`plume list\``);
  if (row.kind !== 'inversion') throw refused(`surrogate.from: campaign '${ref}' is a ${row.kind} campaign; name an inversion campaign`);
  return { id: row.id, spec: row.spec as SourceSpec };
}

async function copyModel(database: Database, source: ModelRow, id: string, campaignId: string): Promise<void> {
  const row = { ...source, id, campaignId, hyperparams: { ...(source.hyperparams as object), reusedFrom: source.id }, createdAt: new Date() };
  await database.db.insert(models).values(row).onConflictDoUpdate({ target: models.id, set: row });
  await copyMetrics(database, 'model', source.id, id);
}

async function copyMetrics(database: Database, ownerType: 'model' | 'campaign', from: string, to: string, namePrefix = ''): Promise<void> {
  const rows = await database.db
    .select()
    .from(metrics)
    .where(and(eq(metrics.ownerType, ownerType), eq(metrics.ownerId, from)));
  await upsertMetrics(
    database,
    rows.filter((r) => r.name.startsWith(namePrefix)).map((r) => ({ ownerType, ownerId: to, name: r.name, split: r.split, step: r.step, value: r.value })),
  );
}

/** The source campaign's models this campaign can take; SpecError naming the field when they do not fit. */
export async function matchSurrogateSource(
  database: Database,
  spec: InversionSpec,
  datasetId: string,
  ref: string,
): Promise<{ sourceId: string; surrogate: ModelRow; decoder: ModelRow | null }> {
  const src = await sourceCampaign(database, ref);
  if (src.spec.case !== spec.case)
    throw refused(`surrogate.from: campaign ${src.id} inverts ${src.spec.case}, this spec ${spec.case}: name a ${spec.case} campaign`);
  const sur = await modelRow(database, surrogateModelId(src.id, src.spec.surrogate.arch));
  if (!sur)
    throw refused(
      `surrogate.from: campaign ${src.id} has no trained surrogate (its setup step did not finish); finish it first (plume retry ${src.id} --failed --wait)`,
    );
  const hp = sur.hyperparams as { inputKind?: string; datasetId?: string };
  if (sur.arch !== spec.surrogate.arch)
    throw refused(`surrogate.arch: campaign ${src.id}'s surrogate is a ${sur.arch}; set surrogate.arch: ${sur.arch}`, 'surrogate.arch');
  const inputKind = surrogateInputKind(spec.case, spec.surrogate.input);
  if (hp.inputKind !== inputKind)
    throw refused(`surrogate.input: campaign ${src.id}'s surrogate reads the ${hp.inputKind}; set surrogate.input: ${hp.inputKind}`, 'surrogate.input');
  if (hp.datasetId !== datasetId)
    throw refused(
      `dataset: campaign ${src.id}'s surrogate was trained on dataset ${hp.datasetId}, this campaign uses ${datasetId}; set dataset: ${hp.datasetId}`,
      'dataset',
    );
  const [mine, theirs] = [concentrationScaling(spec), concentrationScaling(src.spec)];
  if (mine !== theirs)
    throw refused(
      `observationScaling.concentrations: campaign ${src.id}'s surrogate scales concentrations per ${theirs}, this spec per ${mine}; set observationScaling.concentrations: ${theirs}`,
      'observationScaling.concentrations',
    );
  let decoder: ModelRow | null = null;
  if (inversionCase(spec.case).needsDecoder) {
    decoder = await modelRow(database, decoderModelId(src.id));
    if (!decoder) throw refused(`surrogate.from: campaign ${src.id} has no trained decoder; finish it first (plume retry ${src.id} --failed --wait)`);
  }
  return { sourceId: src.id, surrogate: sur, decoder };
}

/** Register the source campaign's trained surrogate (and decoder) as this campaign's. */
export async function reuseSurrogate(database: Database, spec: InversionSpec, campaignId: string, datasetId: string, ref: string): Promise<void> {
  const { sourceId, surrogate, decoder } = await matchSurrogateSource(database, spec, datasetId, ref);
  if (decoder) await copyModel(database, decoder, decoderModelId(campaignId), campaignId);
  await copyModel(database, surrogate, surrogateModelId(campaignId, surrogate.arch), campaignId);
  await copyMetrics(database, 'campaign', sourceId, campaignId, 'surrogate_');
}
