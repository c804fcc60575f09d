/**
 * Spec of an `upscale` campaign: the Monte-Carlo job. Sample N scenarios, simulate each at 1x
 * (cheap), upscale the 1x fields to 10x with trained models, derive the quantities of interest and
 * summarise their distributions; a seeded subset is also simulated at 10x to validate the models
 * and to measure the speed-up.
 */
import { z } from 'zod';
import { FIELD_NAMES } from '../../physics/bioremediation/simulate.js';
import { campaignBase } from '../../engine/execution-spec.js';
import { TRAIN_ARCHS } from '../train/spec.js';

export const UPSCALE_QUANTITIES = ['crRemovedFraction', 'biomassPenetrationLength', 'nutrientFrontPosition', 'meanBiomassFinal'] as const;

const fromTrain = z
  .object({
    train: z.string().min(1).describe('Id of a finished `train` campaign, or its name (the latest completed one with that name).'),
    arch: z.enum(TRAIN_ARCHS).describe('Architecture to use (one model per variable).'),
    variables: z.array(z.enum(FIELD_NAMES)).min(1).optional().describe('Variables to upscale (default: every variable the campaign trained for this arch).'),
    pick: z.enum(['repeat0', 'best']).default('repeat0').describe("Which repeat: 'repeat0', or 'best' (lowest test MSE)."),
  })
  .strict();

const explicitModels = z
  .object({
    modelIds: z.array(z.string().min(1)).min(1).describe('`models` row ids (one per variable), e.g. "<train id>:optimal_mlp:B:r0".'),
  })
  .strict();

export const upscaleSpec = z
  .object({
    kind: z.literal('upscale'),
    ...campaignBase,
    model: z.union([fromTrain, explicitModels]).describe('The trained models: from a train campaign (train + arch) or explicit model ids.'),
    scenarios: z.number().int().min(1).max(10_000_000).describe('Monte-Carlo scenarios to sample (thousands).'),
    sampler: z.enum(['lhs', 'sobol', 'mc']).default('lhs'),
    validation: z
      .object({
        scenarios: z
          .number()
          .int()
          .min(0)
          .max(100_000)
          .default(8)
          .describe('Seeded subset also simulated at 10x: validation errors and the measured speed-up (0: none).'),
      })
      .strict()
      .default({ scenarios: 8 }),
    thresholds: z
      .partialRecord(z.enum(UPSCALE_QUANTITIES), z.number())
      .default({})
      .describe('Per quantity: report the exceedance probability P(quantity > threshold).'),
    histogramBins: z.number().int().min(2).max(1000).default(20),
    inferenceBatchSize: z.number().int().min(1).max(100_000).default(64).describe('Samples per forward pass in the upscale stage (fill memory).'),
  })
  .strict();

export type UpscaleSpec = z.infer<typeof upscaleSpec>;
