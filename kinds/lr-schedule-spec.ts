/**
 * Spec schema of a learning-rate schedule (models/training/lr-schedule.ts), shared by the kinds
 * that train networks (`train` hyperparams, `surrogates` training, `inversion` surrogate).
 */
import { z } from 'zod';

export const lrScheduleSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }).strict(),
  z
    .object({
      kind: z.literal('cosine_warm_restarts'),
      t0: z.number().positive().describe('Epochs of the first cycle.'),
      tMult: z.number().int().min(1).optional(),
      etaMin: z.number().min(0).optional(),
      decay: z.number().gt(0).max(1).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('exponential'), gamma: z.number().gt(0).max(1) }).strict(),
]);
