/**
 * Gray-coded binary representation of a variable in [0,1], as scikit-opt's GA uses it: a segment of
 * L bits (most significant first) is Gray-decoded to the integer v (b_k = g_1 xor ... xor g_k) and
 * mapped to v / (2^L - 1), so both ends 0 and 1 are representable.
 */

/** Bits per variable for a range width and precision: ceil(log2(width / precision + 1)). */
export function bitsPerVariable(width: number, precision: number): number {
  if (!(width > 0) || !Number.isFinite(width)) throw new Error(`GA: bound width must be positive and finite, got ${width}`);
  if (!(precision > 0) || !Number.isFinite(precision)) {
    throw new Error(`GA: precision must be a positive finite number (default 1e-7), got ${precision}`);
  }
  const L = Math.ceil(Math.log2(width / precision + 1));
  if (L > 52) throw new Error(`GA: precision ${precision} needs ${L} bits per variable; at most 52 are supported — use a coarser precision`);
  return L;
}

/** Decodes `L` Gray bits of `bits` starting at `offset` into a value in [0,1]. */
export function grayDecode(bits: Uint8Array, offset: number, L: number): number {
  let b = 0;
  let v = 0;
  for (let k = 0; k < L; k++) {
    b ^= bits[offset + k];
    v = v * 2 + b;
  }
  return v / (2 ** L - 1);
}

/** Writes the L-bit Gray code of the integer v (0 <= v < 2^L) into `bits` at `offset`. */
export function grayEncodeInteger(v: number, bits: Uint8Array, offset: number, L: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** L) throw new Error(`grayEncodeInteger: v must be an integer in [0, 2^${L}), got ${v}`);
  // Binary digits MSB first; Gray g_k = b_k xor b_{k-1} (b_0 = 0).
  let prev = 0;
  for (let k = 0; k < L; k++) {
    const bit = Math.floor(v / 2 ** (L - 1 - k)) % 2;
    bits[offset + k] = bit ^ prev;
    prev = bit;
  }
}

/** Gray code of the grid point nearest to u in [0,1] (u * (2^L - 1) rounded). */
export function grayEncode(u: number, bits: Uint8Array, offset: number, L: number): void {
  if (!(u >= 0 && u <= 1)) throw new Error(`grayEncode: u must lie in [0,1], got ${u}`);
  grayEncodeInteger(Math.round(u * (2 ** L - 1)), bits, offset, L);
}
