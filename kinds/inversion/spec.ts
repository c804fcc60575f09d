/**
 * Spec of an `inversion` campaign (paper 2: TNNA vs GA/PSO/DE/SA on one groundwater case): a case
 * dataset (referenced or generated inline), a surrogate trained on it, S noisy scenarios drawn from
 * its test set, then methods x NPC x repeats (x variants) inversions, one `inversion_results` row each.
 */
import { z } from 'zod';
import { campaignBase } from '../../engine/execution-spec.js';
import { lrScheduleSpec } from '../lr-schedule-spec.js';
import { inversionCase } from './cases.js';

/** The paper's five methods: what a campaign runs unless `methods` says otherwise. */
const PAPER_INVERSION_METHODS = ['TNNA', 'GA', 'PSO', 'DE', 'SA'] as const;
/** Every method: the paper's and LM (Levenberg-Marquardt, by default on the forward simulator). */
export const INVERSION_METHODS = [...PAPER_INVERSION_METHODS, 'LM'] as const;
export type InversionMethod = (typeof INVERSION_METHODS)[number];
/** Methods without a population: one run per scenario, recorded with npc = 1. */
export const SINGLE_RUN_METHODS: readonly InversionMethod[] = ['TNNA', 'LM'];
/** The paper's four surrogates. */
export const PAPER_SURROGATE_ARCHS = ['fcdnn', 'lenet', 'resnet', 'msvr'] as const;
/** Every surrogate Plume trains: the paper's four and the U-Net (field inputs; predicts maps sampled at the observation points). */
export const SURROGATE_ARCH_NAMES = [...PAPER_SURROGATE_ARCHS, 'unet'] as const;
const CASE2_LAYOUT_NAMES = ['S-1', 'S-2', 'S-3', 'S-4', 'S-5'] as const;

const positive = z.number().positive();

/** MSVR's hyperparameter grid (hold-out validation on the training rows picks the best). */
export const msvrGrid = z
  .object({
    C: z.array(positive).min(1).default([1, 10, 100]),
    sigmaScale: z.array(positive).min(1).default([0.5, 1, 2]).describe('RBF widths as multiples of sqrt(inputDim / 6), the RMS distance of uniform points.'),
    epsilon: z.array(z.number().min(0)).min(1).default([0, 0.01]),
  })
  .strict()
  .default({ C: [1, 10, 100], sigmaScale: [0.5, 1, 2], epsilon: [0, 0.01] })
  .describe('MSVR hyperparameter grid (hold-out validation on the training rows picks the best).');

export const inlineDataset = z
  .object({
    train: z
      .number()
      .int()
      .min(10, 'train at least 10 samples')
      .max(100_000)
      .describe('Training samples generated in the setup step (paper: case 1 200..2000, cases 2-3 2000).'),
    test: z.number().int().min(1).max(100_000).describe('Test samples; scenarios are drawn from them (paper: case 1 100, cases 2-3 500).'),
    sampler: z.enum(['lhs', 'sobol', 'mc']).default('lhs'),
  })
  .strict();

const surrogateSpec = z
  .object({
    arch: z
      .enum(SURROGATE_ARCH_NAMES)
      .default('resnet')
      .describe(
        "Surrogate architecture (paper ranking: resnet > lenet > fcdnn > msvr); 'unet' (Plume's, field input only) predicts head and concentration maps sampled at the observation points.",
      ),
    input: z
      .enum(['parameters', 'field'])
      .optional()
      .describe(
        "What the surrogate reads: the normalised parameter vector or the field image. Default: case 1 'parameters', cases 2-3 'field' (paper); case 3 only supports 'field'.",
      ),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        'Architecture options (fcdnn: hiddenLayers, units; lenet: filters, denseUnits, frontEndShape; resnet: baseFilters, frontEndShape; unet: baseFilters, mapActivation: linear or sigmoid, leadingSigmoidMaps, outputAffine, maps: normalised, physical or breakthrough, breakthroughComponents).',
      ),
    epochs: z.number().int().min(1).max(100_000).optional().describe('Training epochs (paper case defaults: 500).'),
    batchSize: z.number().int().min(1).max(100_000).optional(),
    learningRate: positive.optional(),
    weightDecay: z.number().min(0).optional(),
    schedule: lrScheduleSpec.optional().describe("Learning-rate schedule of the surrogate's training (default constant, the paper's)."),
    trainSamples: z.number().int().min(10).optional().describe('Use only the first n training samples of the dataset (default: all).'),
    msvr: msvrGrid,
    from: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Reuse a trained surrogate instead of training one: an earlier inversion campaign's (its id, or its name: the newest completed one; case 3: its decoder too) or one model of a `surrogates` campaign (its model id, e.g. '<campaign id>:resnet:n2000:r0', or the same with the campaign's name for its id: the newest completed one; not for case 3, which needs a decoder). Case, dataset, observation scaling, arch and input must match it; its training settings apply, so leave this block's training fields unset.",
      ),
  })
  .strict();

/** Surrogate fields that configure training: meaningless when `surrogate.from` reuses a trained one. */
const SURROGATE_TRAINING_FIELDS = ['epochs', 'batchSize', 'learningRate', 'weightDecay', 'schedule', 'trainSamples'] as const;

const decoderSpec = z
  .object({
    latentDim: z.number().int().min(2).max(1000).default(100),
    filters: z.array(z.number().int().min(1)).min(1).default([16, 32, 64]),
    epochs: z.number().int().min(1).max(100_000).default(100),
    batchSize: z.number().int().min(1).default(50),
    learningRate: positive.default(1e-3),
    trainSamples: z.number().int().min(10).optional().describe('Train the decoder on the first n training fields (default: all).'),
    bceWarmupEpochs: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'Epochs of binary cross-entropy before the L1 reconstruction loss (default 20 % of epochs); from a random start L1 alone collapses to the all-background field.',
      ),
  })
  .strict();

const tnnaSpec = z
  .object({
    epochs: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('TNNA epochs = forward calls (default: `iterations`, so its curve has the same length as the others).'),
    learningRate: positive.optional().describe('Default per case (paper): case 1 6e-5, cases 2-3 1e-3.'),
    weightDecay: z.number().min(0).optional().describe('Default per case (paper): case 1 1e-6, cases 2-3 1e-4.'),
    hiddenUnits: z.array(z.number().int().min(1)).min(1).default([512, 512, 512]),
    corrections: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(0)
      .describe(
        "Corrections of the surrogate by the forward model (not in the paper; default 0): after a run, its estimate is simulated with the forward model and TNNA runs again on the surrogate corrected there (see `correctionOrder`); each costs another `epochs` surrogate calls and simulations: order 0 one; order 1 one at the round's estimate and d (the unknowns) more when the round is kept, after 1 + d at the first run's estimate.",
      ),
    correctionOrder: z
      .union([z.literal(0), z.literal(1)])
      .default(0)
      .describe(
        "0 (default): output bias, the observations shifted by the surrogate's error at the estimate (simulator - surrogate), one simulation per correction. 1: also the error's slope, by forward differences in the unknowns (d more simulations per accepted estimate), so the corrected surrogate matches the forward model in value and gradient there; each round starts at the kept estimate, searches a trust region around it (`correctionRadius`) and is kept only if its estimate, simulated once, lowers J on the forward model, so the rounds head for a minimum of J on the forward model.",
      ),
    correctionStep: z
      .number()
      .gt(0)
      .lt(0.5)
      .default(5e-3)
      .describe('Forward-difference step in the normalised unknowns (in [0, 1]) for `correctionOrder: 1`; default 5e-3.'),
    correctionRadius: z
      .number()
      .gt(0)
      .max(0.5)
      .default(0.1)
      .describe(
        '`correctionOrder: 1`: half-width of the first trust region in the normalised unknowns (default 0.1); after each round quartered when J on the forward model fell by under a quarter of what the corrected surrogate predicted (or rose), doubled (to at most 0.5) when by over three quarters.',
      ),
    correctionWarmup: z
      .number()
      .int()
      .min(0)
      .default(50)
      .describe(
        "`correctionOrder: 1`: epochs of linear learning-rate warm-up at the start of each round's run (default 50; 0 = none). A round starts at the kept estimate, and Adam's first full-size steps throw it far from there; a warm-up keeps the first steps small.",
      ),
  })
  .strict()
  .default({ hiddenUnits: [512, 512, 512], corrections: 0, correctionOrder: 0, correctionStep: 5e-3, correctionRadius: 0.1, correctionWarmup: 50 });

export const LM_FORWARDS = ['simulator', 'surrogate'] as const;
export const LM_STARTS = ['centre', 'tnna'] as const;

const lmSpec = z
  .object({
    forward: z
      .enum(LM_FORWARDS)
      .default('simulator')
      .describe(
        "What LM's J calls: 'simulator' (default) the case's forward model, the reference a surrogate-based method is measured against (forward calls are simulations); 'surrogate' the campaign's surrogate, like the other methods.",
      ),
    iterations: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(15)
      .describe('Gauss-Newton steps; each costs d + 1 or more forward calls (a Jacobian by forward differences, then step trials).'),
    step: z.number().positive().max(0.5).default(1e-2).describe('Forward-difference step in probit space z = Phi^-1(u) (for case 2: in KL coefficients).'),
    maxStep: z.number().positive().default(1).describe('Largest change of any z in one step (a longer step is scaled down), as PEST limits parameter changes.'),
    prior: z
      .number()
      .min(0)
      .default(0)
      .describe(
        'Weight w of a Gaussian prior added to what LM minimises: J + w mean(z^2). Default 0 (J alone); from the box centre a small prior (1e-3) keeps it from under-determined directions.',
      ),
    start: z
      .enum(LM_STARTS)
      .default('tnna')
      .describe(
        "Where LM starts: 'tnna' (default): first a TNNA run on the surrogate (the `tnna` settings; its calls are surrogate calls, recorded in detail.start), then LM from its estimate; or 'centre' of the box, which on case 2 needs `prior` to stay out of the directions the data hardly constrain.",
      ),
  })
  .strict()
  .default({ forward: 'simulator', iterations: 15, step: 1e-2, maxStep: 1, prior: 0, start: 'tnna' })
  .describe('Levenberg-Marquardt (not in the paper): the method of PEST, minimising the same J as the others.');

export const SA_BATCHINGS = ['sequential', 'speculative'] as const;

const saSpec = z
  .object({
    batching: z
      .enum(SA_BATCHINGS)
      .default('sequential')
      .describe(
        "How SA's Markov chain reaches the surrogate. 'sequential' (default): one candidate per call, scikit-opt's chain. 'speculative': the next candidates are proposed assuming rejection and evaluated as one batch; the first acceptance discards the rest. Same chain law and the same 1 + NPC x iterations chain calls (forward_calls); the discarded evaluations are counted apart (detail.speculativeCalls). About 2.5x faster on a CPU where each surrogate call carries a fixed overhead.",
      ),
  })
  .strict()
  .default({ batching: 'sequential' });

export const CONCENTRATION_SCALINGS = ['component', 'group'] as const;
export type ConcentrationScaling = (typeof CONCENTRATION_SCALINGS)[number];

export const inversionSpec = z
  .object({
    kind: z.literal('inversion'),
    ...campaignBase,
    case: z.enum(['case1', 'case2', 'case3']),
    dataset: z
      .union([z.string().min(1), inlineDataset])
      .describe('A dataset campaign (its id, or its name: the newest completed one), or { train, test, sampler } generated in the setup step.'),
    surrogate: surrogateSpec.default({ arch: 'resnet', options: {}, msvr: { C: [1, 10, 100], sigmaScale: [0.5, 1, 2], epsilon: [0, 0.01] } }),
    decoder: decoderSpec.optional().describe('Case 3: the adversarial-autoencoder decoder trained on the channelized training fields (defaults if omitted).'),
    scenarios: z.number().int().min(1).max(100_000).default(100).describe('Scenarios drawn (seeded, without replacement) from the test set.'),
    noise: z
      .array(z.number().min(0).max(1))
      .min(1)
      .optional()
      .describe(
        'Multiplicative noise levels sigma (y_obs = y * N(1, sigma^2)); default [0.01]. More than one level (e.g. case 3: [0.01, 0.1]) makes variants.',
      ),
    layouts: z.array(z.enum(CASE2_LAYOUT_NAMES)).min(1).optional().describe("Case 2 monitoring layouts observed for calibration (variants); default ['S-5']."),
    wellRegularisation: z
      .object({ enabled: z.boolean().default(true), weight: z.number().min(0).default(1) })
      .strict()
      .optional()
      .describe('Case 2: add weight * mean((Y(u) - Y_true)^2 at the layout wells) / 2 to J for every method (paper: true k at the wells).'),
    methods: z
      .array(z.enum(INVERSION_METHODS))
      .min(1)
      .default([...PAPER_INVERSION_METHODS])
      .describe("Default: the paper's five (TNNA, GA, PSO, DE, SA); add LM for Levenberg-Marquardt on the forward simulator (see `lm`)."),
    npc: z
      .array(z.number().int().min(2).max(100_000))
      .min(1)
      .default([20, 40, 60, 80])
      .describe('Population sizes (GA/PSO/DE) and SA chain lengths. TNNA and LM have no population: each runs once per scenario, recorded with npc = 1.'),
    iterations: z.number().int().min(1).max(100_000).default(200).describe('Generations (GA/PSO/DE), Markov chains (SA), default TNNA epochs.'),
    repeats: z.number().int().min(1).max(1000).default(1),
    objective: z
      .object({
        reduction: z
          .enum(['mean', 'sum'])
          .default('mean')
          .describe(
            "J = mean (or sum) of squared normalised misfits over the calibration entries. 'mean' matches the paper's reported log10 J (about -4.4 at 1% noise).",
          ),
      })
      .strict()
      .default({ reduction: 'mean' }),
    tnna: tnnaSpec,
    sa: saSpec,
    lm: lmSpec,
    observationScaling: z
      .object({
        concentrations: z
          .enum(CONCENTRATION_SCALINGS)
          .optional()
          .describe(
            "Min-max normalisation of the concentrations: 'component' (each output its own training range, the paper's) or 'group' (one range over all of them). Default: case 1 'component'; cases 2-3 'group', because the plume reaches many of their wells only in a few training runs and a per-component range would blow those outputs up.",
          ),
      })
      .strict()
      .default({})
      .describe('How observations are normalised for the surrogate, the objective J and the RMSE/R^2 scores (heads are always per component).'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.methods.includes('GA')) {
      for (const n of s.npc)
        if (n % 2 !== 0)
          ctx.addIssue({
            code: 'custom',
            path: ['npc'],
            message: `GA needs even population sizes (rows i and i + pop/2 are paired): change ${n} to ${n + 1} or drop GA`,
          });
    }
    const ic = inversionCase(s.case);
    if (s.layouts && !ic.layouts) ctx.addIssue({ code: 'custom', path: ['layouts'], message: 'monitoring layouts exist only for case2: remove `layouts`' });
    if (s.wellRegularisation && !ic.wellRegularisation)
      ctx.addIssue({ code: 'custom', path: ['wellRegularisation'], message: 'the well regularisation is case 2 only: remove it' });
    if (s.decoder && !ic.needsDecoder) ctx.addIssue({ code: 'custom', path: ['decoder'], message: 'the decoder is case 3 only: remove `decoder`' });
    if (s.surrogate.input && !ic.surrogateInputs.includes(s.surrogate.input))
      ctx.addIssue({ code: 'custom', path: ['surrogate', 'input'], message: ic.unsupportedInput });
    if (s.surrogate.from) {
      for (const f of SURROGATE_TRAINING_FIELDS)
        if (s.surrogate[f] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['surrogate', f],
            message: `surrogate.from reuses a trained surrogate, whose training settings apply: remove surrogate.${f}`,
          });
      if (Object.keys(s.surrogate.options).length)
        ctx.addIssue({
          code: 'custom',
          path: ['surrogate', 'options'],
          message: 'surrogate.from reuses a trained surrogate, whose architecture options apply: remove surrogate.options',
        });
      if (s.decoder) ctx.addIssue({ code: 'custom', path: ['decoder'], message: "surrogate.from reuses the source campaign's decoder too: remove `decoder`" });
      if (typeof s.dataset !== 'string')
        ctx.addIssue({
          code: 'custom',
          path: ['dataset'],
          message:
            "surrogate.from needs the source campaign's dataset by id (an inline { train, test } is simulated anew): set dataset to it (the source's inline one is '<source id>-data')",
        });
    }
    if (new Set(s.npc).size !== s.npc.length) ctx.addIssue({ code: 'custom', path: ['npc'], message: 'npc values must be distinct' });
    if (new Set(s.methods).size !== s.methods.length) ctx.addIssue({ code: 'custom', path: ['methods'], message: 'methods must be distinct' });
  });

export type InversionSpec = z.infer<typeof inversionSpec>;

/** The concentration scaling a campaign uses (spec, else the case's default). */
export function concentrationScaling(spec: Pick<InversionSpec, 'case' | 'observationScaling'>): ConcentrationScaling {
  return spec.observationScaling?.concentrations ?? inversionCase(spec.case).concentrationScaling;
}
