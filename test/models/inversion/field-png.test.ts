import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { fieldsToPng, fieldToPng } from '../../../models/inversion/field-png.js';

describe('field PNG', () => {
  it('writes a valid 8-bit RGB PNG with one block of pixels per cell', () => {
    const png = Buffer.from(fieldToPng([0, 1, 1, 0, 0.5, 0], 2, 3, { cellPixels: 2, min: 0, max: 1, lowColor: [0, 0, 0], highColor: [200, 100, 50] }));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(6); // width = 3 cells * 2 px
    expect(png.readUInt32BE(20)).toBe(4); // height
    const idatLen = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(4 * (1 + 6 * 3));
    const px = (y: number, x: number) => Array.from(raw.subarray(y * 19 + 1 + x * 3, y * 19 + 4 + x * 3));
    expect(px(0, 0)).toEqual([0, 0, 0]);
    expect(px(1, 2)).toEqual([200, 100, 50]);
    expect(px(3, 2)).toEqual([100, 50, 25]); // value 0.5 in row 1, column 1
  });

  it('lays panels side by side with a gap', () => {
    const png = Buffer.from(
      fieldsToPng(
        [
          [0, 1],
          [1, 0],
        ],
        1,
        2,
        { cellPixels: 1, gap: 3 },
      ),
    );
    expect(png.readUInt32BE(16)).toBe(2 + 3 + 2);
    expect(() => fieldsToPng([[0, 1, 2]], 1, 2)).toThrow(/field 0 has 3 values/);
  });
});
