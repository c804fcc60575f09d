/**
 * Renders 2-D fields (facies, ln k, error maps) to PNG for reports: each cell becomes a
 * `cellPixels x cellPixels` block coloured on a linear ramp between two colours; several fields can
 * be laid out side by side. 8-bit RGB PNG written with node:zlib (deflate + crc32), no other
 * dependency.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface FieldPngOptions {
  /** Value mapped to `lowColor` (default: the minimum over all panels). */
  min?: number;
  /** Value mapped to `highColor` (default: the maximum over all panels). */
  max?: number;
  /** Pixels per cell (default 4). */
  cellPixels?: number;
  /** RGB of the low end (default dark blue [20, 30, 90]). */
  lowColor?: [number, number, number];
  /** RGB of the high end (default sand yellow [240, 200, 60]). */
  highColor?: [number, number, number];
  /** Pixels of white space between panels (default 4). */
  gap?: number;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** PNG of one or more `ny x nx` fields (row-major, row 0 at the top), left to right. */
export function fieldsToPng(fields: ArrayLike<number>[], ny: number, nx: number, options: FieldPngOptions = {}): Uint8Array {
  if (fields.length === 0) throw new Error('fieldsToPng: give at least one field');
  for (const [i, f] of fields.entries())
    if (f.length !== ny * nx) throw new Error(`fieldsToPng: field ${i} has ${f.length} values, expected ny * nx = ${ny} * ${nx}`);
  const px = options.cellPixels ?? 4;
  const gap = options.gap ?? 4;
  const lo = options.lowColor ?? [20, 30, 90];
  const hi = options.highColor ?? [240, 200, 60];
  let min = options.min ?? Infinity;
  let max = options.max ?? -Infinity;
  if (options.min === undefined || options.max === undefined) {
    for (const f of fields)
      for (let i = 0; i < f.length; i++) {
        if (options.min === undefined && f[i] < min) min = f[i];
        if (options.max === undefined && f[i] > max) max = f[i];
      }
  }
  const span = max > min ? max - min : 1;
  const width = fields.length * nx * px + (fields.length - 1) * gap;
  const height = ny * px;
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height, 255);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    const i = Math.floor(y / px);
    for (let p = 0; p < fields.length; p++) {
      const x0 = p * (nx * px + gap);
      for (let x = 0; x < nx * px; x++) {
        const v = fields[p][i * nx + Math.floor(x / px)];
        const t = Math.min(1, Math.max(0, (v - min) / span));
        const o = y * row + 1 + (x0 + x) * 3;
        for (let c = 0; c < 3; c++) raw[o + c] = Math.round(lo[c] + t * (hi[c] - lo[c]));
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** PNG of a single field. */
export function fieldToPng(field: ArrayLike<number>, ny: number, nx: number, options: FieldPngOptions = {}): Uint8Array {
  return fieldsToPng([field], ny, nx, options);
}
