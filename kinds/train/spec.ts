/**
 * Spec of a `train` campaign: upscaling architectures x variables x repeated trainings on a paired
 * bioremediation dataset (from a `dataset` campaign), as in the STAMNet paper's Table 3. Paper
 * hyperparameters per variable are the defaults (`paperHyperparams`); `hyperparams`,
 * `perVariable` and `perArch` override them in that order.
 */
import { z } from 'zod';
import type { UpscalingArch } from '../../models/upscaling/model.js';
import { FIELD_NAMES } from '../../physics/bioremediation/simulate.js';
import { campaignBase } from '../../engine/execution-spec.js';
import { lrScheduleSpec } from '../lr-schedule-spec.js';

/** Architectures of the upscaling registry (kept literal here so parsing a spec never loads tf). */
export const TRAIN_ARCHS = [
  'interpolation',
  'simple_mlp',
  'optimal_mlp',
  'mlp_eca',
  'stamnet_upscale',
  'stamnet_upsample',
] as const satisfies readonly UpscalingArch[];
export type TrainArch = (typeof TRAIN_ARCHS)[number];

const stamOptions = z
  .object({
    branches: z
      .array(z.enum(['M1', 'M2', 'M3', 'M4']))
      .min(1)
      .optional(),
    hiddenChannels: z.record(z.enum(['M1', 'M2', 'M3', 'M4']), z.number().int().min(1)).optional(),
    kernelSize: z.number().int().min(1).optional(),
    activation: z.enum(['leaky_relu', 'silu']).optional(),
    leakySlope: z.number().min(0).optional(),
    residual: z.boolean().optional(),
    branchDropout: z.number().min(0).lt(1).optional(),
  })
  .strict();

const hyperparams = z
  .object({
    epochs: z.number().int().min(0).max(100_000).optional().describe('Training epochs (paper: B 25, ED/Cr 110). Interpolation always 0.'),
    lr: z.number().positive().max(1).optional().describe('Base learning rate (paper: B 1.6e-4, ED/Cr 3.0e-4).'),
    batchSize: z.number().int().min(1).max(4096).optional().describe('Samples per step (paper: 6).'),
    weightDecay: z.number().min(0).max(1).optional().describe('AdamW decoupled weight decay (default 0.01).'),
    maeWeight: z.number().min(0).optional().describe('w in the loss MSE + w*MAE (paper 0.6; older code 0.5).'),
    schedule: lrScheduleSpec.optional().describe('Learning-rate schedule (paper: cosine annealing with warm restarts).'),
    widthMultipliers: z
      .array(z.number().positive())
      .min(2)
      .max(3)
      .optional()
      .describe('Hidden widths of the MLP family as multiples of the input width W (paper [10, 40, 10]: 200->2000->8000->2000); shrink for CPU runs.'),
    dropout: z.number().min(0).lt(1).optional().describe('Dropout after the first layer (paper 0.2).'),
    firstLayer: z.enum(['dense', 'repeat']).optional().describe('Optimal-MLP family: dense first layer (paper) or repeat-interleave (ablation).'),
    ecaKernelSize: z.number().int().min(1).optional(),
    stam: stamOptions.optional().describe('STAM options (branches, channels, activation, residual form).'),
    keepBestEpoch: z
      .boolean()
      .optional()
      .describe(
        'Keep the weights of the epoch with the lowest loss on the validation split instead of the last epoch (default false, the paper). Needs foldValidation: false, so the choice never sees the test split.',
      ),
    skip: z
      .enum(['none', 'interpolation'])
      .optional()
      .describe(
        "'interpolation': learned models predict a correction added to the interpolation of their input (a skip connection to the baseline); 'none' (default): the paper's form. Ignored by the interpolation baseline.",
      ),
  })
  .strict();

export type Hyperparams = z.infer<typeof hyperparams>;

const subsetThresholds = z
  .object({ low: z.number(), high: z.number() })
  .strict()
  .refine((t) => t.low <= t.high, { message: 'low must be <= high' });

export const trainSpec = z
  .object({
    kind: z.literal('train'),
    ...campaignBase,
    dataset: z
      .string()
      .min(1)
      .describe(
        "Id of a finished bioremediation `dataset` campaign (see `plume list`), or that campaign's name (the latest completed dataset with that name is used).",
      ),
    architectures: z
      .array(z.enum(TRAIN_ARCHS))
      .min(1)
      .default(['interpolation', 'optimal_mlp', 'mlp_eca', 'stamnet_upscale'])
      .describe('Architectures compared (interpolation is the zero-training baseline, trained once).'),
    variables: z.array(z.enum(FIELD_NAMES)).min(1).default(['B']).describe('One model per variable (must be in the dataset).'),
    repeats: z.number().int().min(1).max(1000).default(14).describe('Repeated trainings per (architecture, variable) with different seeds (paper: 14).'),
    foldValidation: z
      .boolean()
      .default(true)
      .describe('Train on train+val for the final scores (paper). The per-epoch curve is then recorded on the test split (split "test"), else on val.'),
    hyperparams: hyperparams.default({}).describe('Overrides of the paper defaults for every run.'),
    perVariable: z.partialRecord(z.enum(FIELD_NAMES), hyperparams).default({}).describe('Overrides per variable (after `hyperparams`).'),
    perArch: z.partialRecord(z.enum(TRAIN_ARCHS), hyperparams).default({}).describe('Overrides per architecture (applied last).'),
    subsets: z
      .partialRecord(z.enum(FIELD_NAMES), subsetThresholds)
      .default({})
      .describe(
        'Mean-truth thresholds of the test_low / test_high subsets per variable (default: B 15 / 50 mol/m^3 as in the paper; other variables the terciles of the test samples).',
      ),
    predictions: z
      .enum(['repeat0', 'none'])
      .default('repeat0')
      .describe('Store test-set predictions (artifacts and `predictions` rows) of repeat 0 of every model.'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const asks = [s.hyperparams, ...Object.values(s.perVariable), ...Object.values(s.perArch)].some((h) => h?.keepBestEpoch);
    if (asks && s.foldValidation)
      ctx.addIssue({
        code: 'custom',
        path: ['foldValidation'],
        message:
          'keepBestEpoch picks the epoch on the validation split, and foldValidation: true trains on it (the per-epoch curve is then the test split): set foldValidation: false',
      });
  });

export type TrainSpec = z.infer<typeof trainSpec>;

/** Paper hyperparameters (upscaling): biomass lr 1.6e-4 x 25 epochs, ED and Cr(VI) lr 3.0e-4 x 110 epochs, batch 6. */
export function paperHyperparams(variable: string): Required<Pick<Hyperparams, 'epochs' | 'lr' | 'batchSize' | 'weightDecay' | 'maeWeight' | 'schedule'>> {
  const b = variable === 'B';
  return {
    epochs: b ? 25 : 110,
    lr: b ? 1.6e-4 : 3.0e-4,
    batchSize: 6,
    weightDecay: 0.01,
    maeWeight: 0.6,
    schedule: { kind: 'cosine_warm_restarts', t0: 10, tMult: 1 },
  };
}

/** Hyperparameters of one (arch, variable): paper defaults <- hyperparams <- perVariable <- perArch. */
export function resolveHyperparams(spec: TrainSpec, arch: TrainArch, variable: string): Hyperparams & ReturnType<typeof paperHyperparams> {
  const strip = (h: Hyperparams | undefined): Hyperparams => Object.fromEntries(Object.entries(h ?? {}).filter(([, v]) => v !== undefined));
  const r = {
    ...paperHyperparams(variable),
    ...strip(spec.hyperparams),
    ...strip(spec.perVariable[variable as keyof typeof spec.perVariable]),
    ...strip(spec.perArch[arch]),
  };
  if (arch === 'interpolation') r.epochs = 0;
  return r;
}
