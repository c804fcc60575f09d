/** Spec of a `dataset` campaign: paired bioremediation simulations, or groundwater-case samples. */
import { z } from 'zod';
import { FIELD_NAMES } from '../../physics/bioremediation/simulate.js';
import { campaignBase } from '../../engine/execution-spec.js';

const fraction = z.number().min(0).lt(1);

const bioremediationSource = z
  .object({
    type: z.literal('bioremediation'),
    preset: z.enum(['tiny', 'small', 'medium', 'paper']).default('small').describe('Resolution preset (physics/bioremediation/presets.ts).'),
    pairing: z.enum(['scale10x', 'resolution2x']).default('scale10x'),
    scenarios: z.number().int().min(2, 'a dataset needs at least 2 scenarios').max(1_000_000),
    sampler: z.enum(['lhs', 'sobol', 'mc']).default('lhs'),
    variables: z.array(z.enum(FIELD_NAMES)).min(1).default(['B', 'ED', 'Cr']).describe('Fields stored for both members of each pair.'),
    split: z
      .object({ val: fraction.default(0.1), test: fraction.default(0.2) })
      .strict()
      .default({ val: 0.1, test: 0.2 })
      .describe('Fractions of scenarios held out for validation and test (the rest trains).'),
  })
  .strict();

const groundwaterSource = z
  .object({
    type: z.literal('groundwater'),
    case: z.enum(['case1', 'case2', 'case3']),
    train: z.number().int().min(1).max(1_000_000).describe('Training samples (paper: case 1 200/500/1000/2000, cases 2-3 2000).'),
    test: z.number().int().min(1).max(1_000_000).describe('Test samples (paper: case 1 100, cases 2-3 500).'),
    sampler: z.enum(['lhs', 'sobol', 'mc']).default('lhs'),
  })
  .strict();

const pflotranSource = z
  .object({
    type: z.literal('pflotran'),
    dir: z.string().min(1).describe('Folder with PFLOTRAN HDF5 pairs (*_1xscale.h5 + *_10xscale.h5, or *_1xresolution.h5 + *_2xresolution.h5).'),
    pairing: z.enum(['scale10x', 'resolution2x']).default('scale10x'),
    variables: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'short names are letters, digits and _'), z.string().min(1))
      .optional()
      .describe("Short name -> PFLOTRAN dataset name, e.g. { B: 'biomass [mol_m^3]' }; default: every dataset, under its own name."),
    split: z
      .object({ val: fraction.default(0.1), test: fraction.default(0.2) })
      .strict()
      .default({ val: 0.1, test: 0.2 }),
  })
  .strict();

const datasetSource = z.discriminatedUnion('type', [bioremediationSource, groundwaterSource, pflotranSource]);

export const datasetSpec = z
  .object({
    kind: z.literal('dataset'),
    ...campaignBase,
    source: datasetSource,
  })
  .strict();

export type DatasetSpec = z.infer<typeof datasetSpec>;
export type BioremediationSourceSpec = z.infer<typeof bioremediationSource>;
export type GroundwaterSourceSpec = z.infer<typeof groundwaterSource>;
export type PflotranSourceSpec = z.infer<typeof pflotranSource>;
