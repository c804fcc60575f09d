/**
 * Spec of a `surrogates` campaign (paper 2, section 3 and Figs. 5-6): the forward-model surrogates
 * FC-DNN, LeNet, ResNet and MSVR trained on a groundwater case's training pool at several sizes
 * (repeats with different seeds and training subsets) and scored on the same test runs: RMSE and
 * R^2 of normalised heads, concentrations and all outputs. One run = (architecture, size, repeat).
 */
import { z } from 'zod';
import { campaignBase } from '../../engine/execution-spec.js';
import { lrScheduleSpec } from '../lr-schedule-spec.js';
import { inversionCase } from '../inversion/cases.js';
import { CONCENTRATION_SCALINGS, inlineDataset, msvrGrid, PAPER_SURROGATE_ARCHS, SURROGATE_ARCH_NAMES } from '../inversion/spec.js';

export type SurrogateArchName = (typeof SURROGATE_ARCH_NAMES)[number];

const positive = z.number().positive();

/** Training settings; unset fields take the case's paper defaults (models/surrogates/train-surrogate.ts). */
const surrogateTraining = z
  .object({
    epochs: z.number().int().min(1).max(100_000).optional().describe('Training epochs (paper: 500).'),
    batchSize: z.number().int().min(1).max(100_000).optional().describe('Mini-batch size (paper: case 1 50, case 2 100).'),
    learningRate: positive.optional().describe('Adam learning rate (paper: 1e-4 for cases 1-2).'),
    weightDecay: z.number().min(0).optional().describe('Decoupled weight decay (paper: case 2 1e-6; case 1 not stated, 0).'),
    schedule: lrScheduleSpec
      .optional()
      .describe("Learning-rate schedule (default constant, the paper's); e.g. { kind: cosine_warm_restarts, t0: <epochs> } anneals to 0 over the training."),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Architecture options (fcdnn: hiddenLayers, units; lenet: filters, denseUnits, frontEndShape; resnet: baseFilters, frontEndShape; unet: baseFilters, mapActivation: linear or sigmoid, leadingSigmoidMaps, outputAffine, maps: normalised, physical or breakthrough, breakthroughComponents).',
      ),
  })
  .strict();

export type SurrogateTraining = z.infer<typeof surrogateTraining>;

const TRAIN_SUBSETS = ['random', 'nested'] as const;

export const surrogatesSpec = z
  .object({
    kind: z.literal('surrogates'),
    ...campaignBase,
    case: z.enum(['case1', 'case2', 'case3']),
    dataset: z
      .union([z.string().min(1), inlineDataset])
      .describe(
        'A dataset campaign (its id, or its name: the newest completed one), or { train, test, sampler } simulated in the setup step. Its training split is the pool the sizes draw from; every model is scored on its whole test split.',
      ),
    architectures: z
      .array(z.enum(SURROGATE_ARCH_NAMES))
      .min(1)
      .default([...PAPER_SURROGATE_ARCHS])
      .describe(
        "Surrogates compared (default the paper's: resnet, lenet, fcdnn, msvr; 'unet' reads the field and predicts maps sampled at the observation points).",
      ),
    trainSizes: z
      .array(z.number().int().min(10).max(100_000))
      .min(1)
      .default([200, 500, 1000, 2000])
      .describe('Training-set sizes (paper case 1: 200, 500, 1000, 2000); each must fit in the training pool.'),
    repeats: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe('Trainings per (architecture, size), each with its own seed (and training subset when subsets is random).'),
    subsets: z
      .enum(TRAIN_SUBSETS)
      .default('random')
      .describe(
        "How a size's training rows come from the pool: 'random' = a seeded draw without replacement per (size, repeat), so repeats also vary the data; 'nested' = the first n rows (every repeat the same data, only the seed differs).",
      ),
    input: z
      .enum(['parameters', 'field'])
      .optional()
      .describe("What the surrogates read: the normalised parameter vector or the field image. Default: case 1 'parameters', cases 2-3 'field' (paper)."),
    training: surrogateTraining.default({}).describe('Training settings of every neural surrogate (paper defaults per case when unset).'),
    perArch: z.partialRecord(z.enum(SURROGATE_ARCH_NAMES), surrogateTraining).default({}).describe('Overrides per architecture (applied after `training`).'),
    msvr: msvrGrid,
    observationScaling: z
      .object({
        concentrations: z
          .enum(CONCENTRATION_SCALINGS)
          .optional()
          .describe(
            "Min-max normalisation of the concentrations: 'component' (each output its own training range, the paper's) or 'group'. Default: case 1 'component', cases 2-3 'group' (as inversion campaigns).",
          ),
      })
      .strict()
      .default({})
      .describe('How outputs are normalised for training and scoring (heads are always per component; ranges from the whole training pool).'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (new Set(s.architectures).size !== s.architectures.length)
      ctx.addIssue({ code: 'custom', path: ['architectures'], message: 'architectures must be distinct' });
    if (new Set(s.trainSizes).size !== s.trainSizes.length) ctx.addIssue({ code: 'custom', path: ['trainSizes'], message: 'trainSizes must be distinct' });
    if (typeof s.dataset !== 'string') {
      const pool = s.dataset.train;
      s.trainSizes.forEach((n, i) => {
        if (n > pool)
          ctx.addIssue({
            code: 'custom',
            path: ['trainSizes', i],
            message: `${n} exceeds the training pool (dataset.train = ${pool}): raise dataset.train to ${Math.max(...s.trainSizes)} or drop this size`,
          });
      });
    }
    const ic = inversionCase(s.case);
    if (s.input && !ic.surrogateInputs.includes(s.input)) ctx.addIssue({ code: 'custom', path: ['input'], message: ic.unsupportedInput });
  });

export type SurrogatesSpec = z.infer<typeof surrogatesSpec>;

/** Training settings of one architecture: case defaults <- `training` <- `perArch[arch]` (options merged). */
export function resolveTraining(
  spec: Pick<SurrogatesSpec, 'training' | 'perArch'>,
  arch: SurrogateArchName,
): SurrogateTraining & { options: Record<string, unknown> } {
  const strip = (t: SurrogateTraining | undefined) =>
    Object.fromEntries(Object.entries(t ?? {}).filter(([k, v]) => v !== undefined && k !== 'options')) as SurrogateTraining;
  const over = spec.perArch[arch];
  return { ...strip(spec.training), ...strip(over), options: { ...(spec.training.options ?? {}), ...(over?.options ?? {}) } };
}
