/** Spatial-map PNGs keep the domain's aspect ratio, label the colour bar in the values' units, and can colour by log10. */
import { describe, expect, it } from 'vitest';
import { heatmap } from '../../report/figures/heatmap.js';
import { renderSlicePng, type Slice2d } from '../../dashboard/slice-render.js';

const rows = 10;
const cols = 200;
const values = Array.from({ length: rows * cols }, (_, k) => 10 ** ((k % cols) / 40 - 3)); // 1e-3 .. 94 along x

describe('spatial map', () => {
  it('draws a 10 x 200 grid (1 m x 20 m) 20 times wider than tall, with value labels on the colour bar', () => {
    const fig = heatmap({ title: 't', panels: [{ title: 'p', rows, cols, values, log: true, unit: 'mol/m³' }], maxCells: 400, panelWidth: 960 });
    const grid = (fig.option.grid as { width: number; height: number }[])[0];
    expect(grid.width / grid.height).toBeCloseTo(cols / rows, 6);
    const bar = (fig.option.visualMap as { text: string[]; min: number; max: number }[])[0];
    expect(bar.min).toBeCloseTo(-3, 6); // log10 of the smallest value
    expect(bar.text).toEqual(['94.4', '0.001']); // labelled in the values' own units
    expect((fig.option.title as { text: string }[]).map((t) => t.text)).toContain('mol/m³ (log scale)');
  });

  it('renders a PNG wider than tall for a wide domain', () => {
    const s: Slice2d = { shape: [rows, cols], at: [], rows, cols, values, min: 1e-3, max: 94.4 };
    const png = renderSlicePng(s, 'B, run 0', { log: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(3 * height);
  });
});
