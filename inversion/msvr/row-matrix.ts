/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface RowMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Wraps `data` as a rows x cols matrix after checking the sizes and finiteness; `field` names it in errors. */
export function rowMatrix(data: Float64Array, rows: number, cols: number, field = 'matrix'): RowMatrix {
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new Error(`${field}: rows and cols must be positive integers, got ${rows} x ${cols}`);
  }
  if (!(data instanceof Float64Array) || data.length !== rows * cols) {
    throw new Error(`${field}: data must be a Float64Array of length rows*cols = ${rows * cols}, got ${data?.length}`);
  }
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      throw new Error(`${field}: entry (${Math.floor(k / cols)}, ${k % cols}) is ${data[k]}; all entries must be finite`);
    }
  }
  return { rows, cols, data };
}

/** The listed rows of `m`, in order. */
export function selectRows(m: RowMatrix, idx: ArrayLike<number>): RowMatrix {
  const out = new Float64Array(idx.length * m.cols);
  for (let r = 0; r < idx.length; r++) out.set(m.data.subarray(idx[r] * m.cols, (idx[r] + 1) * m.cols), r * m.cols);
  return { rows: idx.length, cols: m.cols, data: out };
}
