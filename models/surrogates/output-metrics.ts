/**
 * Surrogate accuracy on normalised outputs: RMSE and R^2 for each output group (heads,
 * concentrations, ...) and for all outputs together, as in paper 2, Table 1.
 *
 * R^2 is pooled over the group: `1 - sum (y - yhat)^2 / sum (y - mean(y))^2` with the mean taken
 * over every sample and component of the group (sklearn's `r2_score` on the flattened group).
 */

/** Which output components (column indices) belong to which named group. */
export interface OutputLayout {
  readonly groups: Readonly<Record<string, readonly number[]>>;
}

interface FitMetrics {
  rmse: number;
  r2: number;
  count: number;
}

export type OutputMetrics = Record<string, FitMetrics> & { all: FitMetrics };

/** Layout for `[nHeads head values, then nConcentrations concentration values]` per sample. */
export function headsThenConcentrations(nHeads: number, nConcentrations: number): OutputLayout {
  if (!Number.isInteger(nHeads) || nHeads < 0) throw new Error(`nHeads must be a non-negative integer, got ${nHeads}`);
  if (!Number.isInteger(nConcentrations) || nConcentrations < 0) throw new Error(`nConcentrations must be a non-negative integer, got ${nConcentrations}`);
  return {
    groups: {
      heads: Array.from({ length: nHeads }, (_, i) => i),
      concentrations: Array.from({ length: nConcentrations }, (_, i) => nHeads + i),
    },
  };
}

function fit(pred: ArrayLike<number>, truth: ArrayLike<number>, n: number, outputDim: number, cols: readonly number[]): FitMetrics {
  let sum = 0;
  let count = 0;
  for (let s = 0; s < n; s++)
    for (const c of cols) {
      sum += truth[s * outputDim + c];
      count++;
    }
  if (count === 0) return { rmse: NaN, r2: NaN, count: 0 };
  const mean = sum / count;
  let ssRes = 0;
  let ssTot = 0;
  for (let s = 0; s < n; s++)
    for (const c of cols) {
      const t = truth[s * outputDim + c];
      const e = t - pred[s * outputDim + c];
      ssRes += e * e;
      ssTot += (t - mean) * (t - mean);
    }
  return { rmse: Math.sqrt(ssRes / count), r2: ssTot > 0 ? 1 - ssRes / ssTot : NaN, count };
}

/**
 * RMSE and R^2 of `pred` against `truth` (both `n x outputDim`, row-major) per layout group and
 * for all outputs (`all`). Without a layout only `all` is reported.
 */
export function evaluateOutputs(pred: ArrayLike<number>, truth: ArrayLike<number>, outputDim: number, layout?: OutputLayout): OutputMetrics {
  if (pred.length !== truth.length) throw new Error(`pred has ${pred.length} values but truth has ${truth.length}: they must match`);
  if (!Number.isInteger(outputDim) || outputDim < 1 || truth.length % outputDim !== 0) {
    throw new Error(`outputDim ${outputDim} does not divide the ${truth.length} values`);
  }
  const n = truth.length / outputDim;
  const all = fit(
    pred,
    truth,
    n,
    outputDim,
    Array.from({ length: outputDim }, (_, i) => i),
  );
  const out: Record<string, FitMetrics> = { all };
  for (const [name, cols] of Object.entries(layout?.groups ?? {})) {
    if (name === 'all') throw new Error(`output layout group name 'all' is reserved: rename it`);
    for (const c of cols)
      if (!Number.isInteger(c) || c < 0 || c >= outputDim) throw new Error(`output layout group '${name}' has column ${c} outside [0, ${outputDim})`);
    out[name] = fit(pred, truth, n, outputDim, cols);
  }
  return out as OutputMetrics;
}
