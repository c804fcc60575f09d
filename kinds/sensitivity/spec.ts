/** Spec of a `sensitivity` campaign: Saltelli sampling + Sobol indices of a registered model. */
import { z } from 'zod';
import { campaignBase } from '../../engine/execution-spec.js';

const ishigamiModel = z.object({ name: z.literal('ishigami'), a: z.number().default(7), b: z.number().default(0.1) }).strict();

const sobolGModel = z
  .object({
    name: z.literal('sobol_g'),
    a: z
      .array(z.number().min(0, 'sobol_g coefficients must be >= 0'))
      .min(1, 'give at least one coefficient (one per parameter)')
      .max(1000)
      .default([0, 1, 4.5, 9, 99, 99, 99, 99]),
  })
  .strict();

const bioremediationModel = z
  .object({
    name: z.literal('bioremediation'),
    output: z
      .enum(['finalMeanBiomass', 'crRemovedFraction', 'nutrientPenetrationLength', 'edPenetrationLength'])
      .default('crRemovedFraction')
      .describe('Scalar summary of one 1x simulation (physics/bioremediation/scalar-outputs.ts).'),
    preset: z.enum(['tiny', 'small']).default('tiny'),
    parameters: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Parameters to vary (names from physics/bioremediation/parameters.ts); default all; the others stay at their defaults.'),
  })
  .strict();

const groundwaterModel = z
  .object({
    name: z.literal('groundwater_case1'),
    observation: z
      .number()
      .int()
      .min(0)
      .max(293)
      .default(170)
      .describe('Index into the case-1 observation vector [heads(49), concentrations(5 times x 49 points)].'),
  })
  .strict();

const sensitivityModel = z.discriminatedUnion('name', [ishigamiModel, sobolGModel, bioremediationModel, groundwaterModel]);

export const sensitivitySpec = z
  .object({
    kind: z.literal('sensitivity'),
    ...campaignBase,
    model: sensitivityModel,
    samples: z
      .number()
      .int()
      .min(16, 'use at least 16 base samples')
      .max(1_000_000)
      .describe('Base samples N; the campaign runs N x (parameters + 2) model evaluations.'),
    bootstrap: z
      .object({
        resamples: z.number().int().min(10).max(100_000).default(1000),
        confidence: z.number().gt(0).lt(1).default(0.95),
      })
      .strict()
      .default({ resamples: 1000, confidence: 0.95 }),
  })
  .strict();

export type SensitivitySpec = z.infer<typeof sensitivitySpec>;
export type SensitivityModelSpec = z.infer<typeof sensitivityModel>;
