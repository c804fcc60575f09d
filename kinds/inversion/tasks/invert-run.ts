/**
 * Compute task: one inversion run of an `inversion` campaign, in a worker thread with its own
 * TF.js backend — (scenario, method, NPC, repeat, variant):
 *   1. the scenario's true observations, min-max normalised with the dataset's bounds, times
 *      multiplicative noise N(1, sigma^2) (seeded per scenario: every method sees the same data);
 *   2. J(u) = mean (or sum) over the calibration entries of (y_obs - F(G(u)))^2 [+ case-2 well term],
 *      F the frozen surrogate (cached per thread by artifact id), G the case's parameterisation;
 *   3. TNNA / GA / PSO / DE / SA on J; forward calls read off the objective's counter (TNNA: its own
 *      per-epoch count); LM on the same J with F the FORWARD MODEL (or, `lm.forward: surrogate`, F);
 *   4. the estimate re-simulated with the FORWARD MODEL: calibration / validation RMSE and R^2 on
 *      heads, concentrations and all outputs against the true (noise-free) normalised outputs,
 *      field RMSE (cases 2-3, ln k) and the estimated field as an artifact.
 */
import { ArtifactStore, type ArtifactRef } from '../../../artifacts/store.js';
import { progressPoster } from '../../../compute/progress.js';
import { threadBackend } from '../../../compute/thread-backend.js';
import { caseInversion } from '../case-inversion.js';
import { fitOn, observationSplit } from '../problem.js';
import type { InversionMethod, LM_FORWARDS, LM_STARTS, SA_BATCHINGS } from '../spec.js';
import { checkParameterisation, loadInversionSurrogate, type FieldNorm, type InversionSurrogate } from '../surrogate.js';
import { BatchObjective, type WellRegularisation } from '../../../inversion/objective/batch-objective.js';
import { runDE } from '../../../inversion/optimizers/de.js';
import { runGA } from '../../../inversion/optimizers/ga.js';
import { runLM } from '../../../inversion/optimizers/levenberg-marquardt.js';
import type { OptimizerResult } from '../../../inversion/optimizers/optimizer-result.js';
import { runPSO } from '../../../inversion/optimizers/pso.js';
import { runSA } from '../../../inversion/optimizers/sa.js';
import { runCorrectedTnna, type TnnaCorrectionRecord, type TnnaCorrections } from '../../../inversion/tnna/tnna-corrections.js';
import { runTnna, TNNA_DEFAULTS, type TnnaOptions, type TnnaProblem, type TnnaRegularisation, type TnnaResult } from '../../../inversion/tnna/tnna.js';
import { loadDecoder } from '../../../models/inversion/adversarial-autoencoder.js';
import type { Parameterisation } from '../../../models/inversion/parameterisation.js';
import { tf } from '../../../models/tf.js';
import { getCase } from '../../../physics/groundwater/case-registry.js';
import { forward } from '../../../physics/groundwater/forward-model.js';
import type { Case2LayoutName } from '../../../physics/groundwater/gaussian-case.js';
import type { CaseName } from '../../../physics/groundwater/groundwater-case.js';
import { observationVector } from '../../../physics/groundwater/observation-layout.js';
import { multiplicativeNoiseSeeded } from '../../../physics/sampling/noise-model.js';
import { normalize } from '../../../numerics/min-max-normalizer.js';

export interface InvertRunInput {
  artifactRoot: string;
  runIndex: number;
  caseName: CaseName;
  method: InversionMethod;
  npc: number;
  iterations: number;
  seed: number;
  surrogate: { artifactId: string; inputKind: 'parameters' | 'field'; fieldNorm: FieldNorm | null };
  decoderArtifactId: string | null;
  obsBounds: { min: number[]; max: number[] };
  truth: { params: Float64Array; obs: Float32Array; field: Float32Array | null };
  noise: { sigma: number; seed: number };
  layout: Case2LayoutName | null;
  reduction: 'mean' | 'sum';
  tnna: {
    epochs: number;
    learningRate?: number;
    weightDecay?: number;
    hiddenUnits: number[];
    corrections: Pick<TnnaCorrections, 'count' | 'order' | 'step' | 'radius' | 'warmup'>;
  };
  saBatching: (typeof SA_BATCHINGS)[number];
  lm: { forward: (typeof LM_FORWARDS)[number]; iterations: number; step: number; maxStep: number; prior: number; start: (typeof LM_STARTS)[number] };
  wellRegularisation: { weight: number } | null;
  progressChannel?: string;
}

export interface GroupFit {
  calibRmse: number | null;
  calibR2: number | null;
  validRmse: number | null;
  validR2: number | null;
}

export interface InvertRunOutput {
  /** The method's own evaluations (SA speculative: the chain's, without the discarded ones). */
  forwardCalls: number;
  batches: number;
  iterations: number;
  wallMs: number;
  finalObjective: number;
  curve: Float64Array;
  estimate: Float64Array;
  truth: Float64Array;
  calib: { rmse: number; r2: number | null };
  valid: { rmse: number; r2: number | null } | null;
  detail: {
    heads: GroupFit;
    conc: GroupFit;
    /** Same fits of the SURROGATE's prediction at the estimate (how far the surrogate is from the forward model there). */
    surrogateCalibRmse: number;
    surrogateValidRmse: number | null;
    fieldRmse?: number;
    fieldQuantity?: string;
    faciesAccuracy?: number;
    estimatedFieldArtifactId?: string;
    /** The scenario's true field in the estimate's quantity (content-addressed: one file per scenario). */
    trueFieldArtifactId?: string;
    paramError: number[];
    /** TNNA with more epochs than `iterations`: its estimate after `iterations` epochs, scored like the final one. */
    atBudget?: {
      epochs: number;
      finalObjective: number;
      calib: { rmse: number; r2: number | null };
      valid: { rmse: number; r2: number | null } | null;
      heads: GroupFit;
      conc: GroupFit;
      fieldRmse?: number;
      faciesAccuracy?: number;
      paramError: number[];
    };
    /** TNNA corrected by the forward model (`tnna.corrections`): simulations, surrogate calls and the error's size per round. */
    corrections?: TnnaCorrectionRecord;
    /** LM started from a TNNA run on the surrogate (`lm.start: tnna`): its surrogate calls and the start's field RMSE (cases 2-3). */
    start?: { method: 'TNNA'; surrogateCalls: number; objective: number; fieldRmse?: number };
    /** SA speculative batching: evaluations made ahead and discarded at an acceptance (not in forwardCalls). */
    speculativeCalls?: number;
    noiseSigma: number;
    nCalibration: number;
    nValidation: number;
    forwardModelMs: number;
  };
  refs: ArtifactRef[];
  backend: string;
}

const surrogates = new Map<string, InversionSurrogate>();
const decoders = new Map<string, tf.LayersModel>();

async function cachedSurrogate(store: ArtifactStore, id: string): Promise<InversionSurrogate> {
  let s = surrogates.get(id);
  if (!s) {
    if (surrogates.size >= 2) {
      for (const old of surrogates.values()) old.dispose();
      surrogates.clear();
    }
    s = await loadInversionSurrogate(store, id);
    surrogates.set(id, s);
  }
  return s;
}

async function cachedDecoder(store: ArtifactStore, id: string): Promise<tf.LayersModel> {
  let d = decoders.get(id);
  if (!d) {
    d = (await loadDecoder(store, id)).decoder;
    decoders.set(id, d);
  }
  return d;
}

function select(y: ArrayLike<number>, idx: Int32Array): Float64Array {
  return Float64Array.from(idx, (i) => y[i]);
}

function groupFit(pred: Float64Array, truth: Float64Array, cal: Int32Array, val: Int32Array): GroupFit {
  const c = fitOn(pred, truth, cal);
  const v = fitOn(pred, truth, val);
  return { calibRmse: c?.rmse ?? null, calibR2: c?.r2 ?? null, validRmse: v?.rmse ?? null, validR2: v?.r2 ?? null };
}

export async function run(input: InvertRunInput): Promise<InvertRunOutput> {
  const backend = (await threadBackend()).name;
  const store = new ArtifactStore(input.artifactRoot);
  const progress = progressPoster(input.progressChannel, 1000);
  const c = getCase(input.caseName);
  const ci = caseInversion(input.caseName);
  const owned: Parameterisation[] = [];
  try {
    const surrogate = await cachedSurrogate(store, input.surrogate.artifactId);
    const split = observationSplit(input.caseName, input.layout);
    const yTrue = normalize(input.truth.obs, input.obsBounds);
    const yObs = multiplicativeNoiseSeeded(yTrue, input.noise.sigma, input.noise.seed);
    const yCal = select(yObs, split.calibration);
    const nCal = yCal.length;
    const sigma = input.reduction === 'mean' ? nCal : 1;

    // Parameterisation G: u in [0,1]^dim -> the surrogate's input.
    const {
      G,
      field,
      owned: built,
    } = await ci.parameterisation({
      inputKind: input.surrogate.inputKind,
      fieldNorm: input.surrogate.fieldNorm,
      decoder: () => {
        if (!input.decoderArtifactId) throw new Error('case 3 needs the decoder (setup step surrogate trains it)');
        return cachedDecoder(store, input.decoderArtifactId);
      },
    });
    owned.push(...built);
    checkParameterisation(G, surrogate);
    const dim = G.dim;
    const calIdx = tf.keep(tf.tensor1d(split.calibration, 'int32'));

    // Well regularisation (case 2): the field at the layout's wells vs the true field there.
    const reg =
      input.wellRegularisation && ci.wellRegularisation && field
        ? ci.wellRegularisation({
            layout: input.layout,
            trueField: input.truth.field,
            field,
            weight: input.wellRegularisation.weight,
            reduction: input.reduction,
          })
        : null;
    const wellReg: WellRegularisation | undefined = reg?.batch;
    const tnnaReg: TnnaRegularisation | undefined = reg?.tnna;

    // The forward model at a normalised parameter vector, on the campaign's observation scaling.
    const simulate = (u: Float64Array) => {
      const { physical, field: estField, fieldQuantity } = ci.estimate(u, G);
      return { y: normalize(observationVector(c, forward(c, physical)), input.obsBounds), estField, fieldQuantity };
    };

    const onIteration = (info: { iteration: number; bestObjective: number; forwardCalls: number }) =>
      progress.post({ runIndex: input.runIndex, method: input.method, iteration: info.iteration, best: info.bestObjective, calls: info.forwardCalls });

    let result: OptimizerResult | TnnaResult;
    let corrections: InvertRunOutput['detail']['corrections'];
    let objective: BatchObjective | null = null;
    const base = TNNA_DEFAULTS[input.caseName];
    const tnnaProblem = (observations: Float64Array): TnnaProblem => ({
      observations,
      forward: (m) => tf.gather(surrogate.apply(m), calIdx, 1),
      parameterisation: G,
      sigma,
      regularisation: tnnaReg,
    });
    const tnnaOptions: TnnaOptions = {
      seed: input.seed,
      preset: input.caseName,
      maxIter: input.tnna.epochs,
      learningRate: input.tnna.learningRate ?? base.learningRate,
      weightDecay: input.tnna.weightDecay ?? base.weightDecay,
      network: { hiddenUnits: input.tnna.hiddenUnits },
      // With corrections a snapshot would be the last round's, not what a shorter run returns.
      snapshotAt: input.tnna.epochs > input.iterations && input.tnna.corrections.count === 0 ? [input.iterations] : [],
      onIteration,
    };
    // The surrogate at rows u (F o G) on the calibration entries, batched.
    const batchForward = (X: Float64Array[]): Float64Array[] => {
      const out: Float64Array[] = [];
      for (let s = 0; s < X.length; s += 256) {
        const rows = X.slice(s, s + 256);
        const flat = new Float32Array(rows.length * dim);
        rows.forEach((r, i) => flat.set(r, i * dim));
        const y = tf.tidy(() => tf.gather(surrogate.apply(G.apply(tf.tensor2d(flat, [rows.length, dim]))), calIdx, 1));
        const v = y.dataSync();
        y.dispose();
        for (let i = 0; i < rows.length; i++) out.push(Float64Array.from(v.subarray(i * nCal, (i + 1) * nCal)));
      }
      return out;
    };
    // The forward model at rows u: one simulation each, on the calibration entries.
    const simulatorForward = (X: Float64Array[]): Float64Array[] => X.map((u) => select(simulate(u).y, split.calibration));
    let start: InvertRunOutput['detail']['start'];
    if (input.method === 'TNNA') {
      const corrected = await runCorrectedTnna(tnnaProblem(yCal), tnnaOptions, {
        ...input.tnna.corrections,
        simulate: simulatorForward,
        surrogate: batchForward,
      });
      if (corrected.record) corrections = corrected.record;
      result = corrected.result;
    } else {
      const forwardFn = input.method === 'LM' && input.lm.forward === 'simulator' ? simulatorForward : batchForward;
      objective = new BatchObjective({ dim, forward: forwardFn, observations: yCal, sigma, regularisation: wellReg });
      const common = { seed: input.seed, maxIter: input.iterations, onIteration };
      switch (input.method) {
        case 'GA':
          result = await runGA(objective, { ...common, popSize: input.npc });
          break;
        case 'PSO':
          result = await runPSO(objective, { ...common, popSize: input.npc });
          break;
        case 'DE':
          result = await runDE(objective, { ...common, popSize: input.npc });
          break;
        case 'SA':
          result = await runSA(objective, { ...common, chainLength: input.npc, batchMode: input.saBatching });
          break;
        case 'LM': {
          let from: Float64Array | undefined;
          if (input.lm.start === 'tnna') {
            const t = await runTnna(tnnaProblem(yCal), tnnaOptions);
            from = t.best;
            const { field: startField } = ci.estimate(t.best, G);
            const fieldRmse = startField && input.truth.field ? ci.scoreField(startField, input.truth.field).fieldRmse : undefined;
            start = { method: 'TNNA', surrogateCalls: t.forwardCalls, objective: t.bestObjective, ...(fieldRmse !== undefined ? { fieldRmse } : {}) };
          }
          const lm = input.lm;
          result = await runLM(objective, { ...common, maxIter: lm.iterations, step: lm.step, maxStep: lm.maxStep, prior: lm.prior, start: from });
          break;
        }
        default:
          throw new Error(`unknown inversion method '${String(input.method)}'`);
      }
      if (objective.forwardCalls !== result.forwardCalls)
        throw new Error(`${input.method}: the run counted ${result.forwardCalls} forward calls but the objective ${objective.forwardCalls}`);
    }
    calIdx.dispose();

    // Re-simulate an estimate with the forward model; scored on the objective's normalisation (the
    // campaign's observation scaling), against the noise-free truth yTrue.
    const score = (u: Float64Array) => {
      const t0 = performance.now();
      const { y: yEst, estField, fieldQuantity } = simulate(u);
      const forwardModelMs = performance.now() - t0;
      return {
        cal: fitOn(yEst, yTrue, split.calibration)!,
        val: fitOn(yEst, yTrue, split.validation),
        heads: groupFit(yEst, yTrue, split.calibHeads, split.validHeads),
        conc: groupFit(yEst, yTrue, split.calibConc, split.validConc),
        estField,
        fieldQuantity,
        fieldScore: estField && input.truth.field ? ci.scoreField(estField, input.truth.field) : null,
        forwardModelMs,
      };
    };
    const u = result.best;
    const { cal, val, heads, conc, estField, fieldQuantity, fieldScore, forwardModelMs } = score(u);
    const ySur = Float64Array.from(surrogate.predict(G.toSurrogateInput(u, 1), 1));

    const truthU = c.sampling.toUnit(input.truth.params, 0);
    const speculativeCalls = 'wastedCalls' in result ? result.wastedCalls : 0;
    const detail: InvertRunOutput['detail'] = {
      heads,
      conc,
      surrogateCalibRmse: fitOn(ySur, yTrue, split.calibration)!.rmse,
      surrogateValidRmse: fitOn(ySur, yTrue, split.validation)?.rmse ?? null,
      paramError: truthU.length ? Array.from(u, (v, k) => v - truthU[k]) : [],
      ...(speculativeCalls > 0 ? { speculativeCalls } : {}),
      ...(corrections ? { corrections } : {}),
      ...(start ? { start } : {}),
      noiseSigma: input.noise.sigma,
      nCalibration: split.calibration.length,
      nValidation: split.validation.length,
      forwardModelMs,
    };
    // TNNA run past the others' iterations: the estimate a run of that many epochs returns, scored the same way.
    for (const snap of 'snapshots' in result ? result.snapshots : []) {
      const s = score(snap.best);
      detail.atBudget = {
        epochs: snap.epoch,
        finalObjective: snap.bestObjective,
        calib: s.cal,
        valid: s.val,
        heads: s.heads,
        conc: s.conc,
        ...(s.fieldScore ?? {}),
        paramError: truthU.length ? Array.from(snap.best, (v, k) => v - truthU[k]) : [],
      };
    }
    const refs: ArtifactRef[] = [];
    if (estField && input.truth.field) {
      Object.assign(detail, fieldScore);
      detail.fieldQuantity = `${fieldQuantity}; fieldRmse is the RMSE of ln k`;
      const ref = await store.putTensor('inversion.estimated-field', estField, [c.grid.ny, c.grid.nx]);
      detail.estimatedFieldArtifactId = ref.id;
      const trueRef = await store.putTensor('inversion.true-field', Float32Array.from(input.truth.field), [c.grid.ny, c.grid.nx]);
      detail.trueFieldArtifactId = trueRef.id;
      refs.push(ref, trueRef);
    }
    return {
      forwardCalls: result.forwardCalls - speculativeCalls,
      batches: result.batches,
      iterations: result.iterations,
      wallMs: result.wallMs,
      finalObjective: result.bestObjective,
      curve: result.curve,
      estimate: Float64Array.from(u),
      truth: truthU,
      calib: cal,
      valid: val,
      detail,
      refs,
      backend,
    };
  } finally {
    for (const p of owned) p.dispose();
    progress.close();
  }
}
