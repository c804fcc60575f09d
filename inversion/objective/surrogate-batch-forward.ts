/**
 * Bridge from a trained surrogate (+ parameterisation) to the metaheuristics' `BatchForward`
 * (`inversion/objective/batch-objective.ts`): a population of normalised vectors u in [0, 1]^d ->
 * `F(G(u))`, evaluated in batches in inference mode. Forward calls are counted by `BatchObjective`,
 * not here.
 */
import type { BatchForward } from './batch-objective.js';
import type { Parameterisation } from '../../models/inversion/parameterisation.js';
import { tf } from '../../models/tf.js';
import { inputShapeOf, inputSize } from '../../models/surrogates/surrogate-input.js';
import type { Surrogate } from '../../models/surrogates/surrogate.js';

export function surrogateBatchForward(s: Surrogate, parameterisation?: Parameterisation, batchSize = 256): BatchForward {
  const dim = parameterisation?.dim ?? inputSize(s.input);
  if (parameterisation) {
    const want = inputShapeOf(s.input).join(',');
    if (parameterisation.outputShape.join(',') !== want) {
      throw new Error(`surrogateBatchForward: parameterisation produces [${parameterisation.outputShape.join(', ')}] but the surrogate takes [${want}]`);
    }
  }
  const shape = inputShapeOf(s.input);
  return (X: Float64Array[]) => {
    const out: Float64Array[] = [];
    for (let start = 0; start < X.length; start += batchSize) {
      const rows = X.slice(start, start + batchSize);
      const flat = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => {
        if (r.length !== dim) throw new Error(`surrogateBatchForward: row ${start + i} has ${r.length} values, expected ${dim}`);
        flat.set(r, i * dim);
      });
      const y = tf.tidy(() => {
        const u = tf.tensor2d(flat, [rows.length, dim]);
        const m = parameterisation ? parameterisation.apply(u) : u.reshape([rows.length, ...shape]);
        return s.apply(m);
      });
      const v = y.dataSync();
      y.dispose();
      for (let i = 0; i < rows.length; i++) out.push(Float64Array.from(v.subarray(i * s.outputDim, (i + 1) * s.outputDim)));
    }
    return out;
  };
}
