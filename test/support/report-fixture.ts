/**
 * Shared fixture for report tests: an in-memory PGlite database with migrations, a temp artifact
 * store and output directory, campaign-row insertion, and checks that every figure the Markdown
 * references exists and is a valid, non-blank SVG / PNG.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { expect } from 'vitest';
import { ArtifactStore } from '../../artifacts/store.js';
import { openDatabase, type Database } from '../../db/client.js';
import { campaigns } from '../../db/schema.js';
import { FIGURE_FONT } from '../../report/figures/render-figure.js';

export interface ReportFixture {
  database: Database;
  store: ArtifactStore;
  dir: string;
  outDir(name: string): string;
  close(): Promise<void>;
}

export async function openReportFixture(): Promise<ReportFixture> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plume-report-'));
  const store = new ArtifactStore(path.join(dir, 'artifacts'));
  return { database, store, dir, outDir: (name) => path.join(dir, name), close: () => database.close() };
}

export async function insertCampaign(database: Database, row: Partial<typeof campaigns.$inferInsert> & { id: string; kind: string }): Promise<void> {
  await database.db.insert(campaigns).values({
    name: row.id,
    spec: { kind: row.kind, name: row.id },
    specHash: 'h',
    seed: 1,
    status: 'completed',
    startedAt: new Date('2025-01-01T00:00:00Z'),
    finishedAt: new Date('2025-01-01T00:01:30Z'),
    ...row,
  });
}

/** The figure files a report references (relative to its directory), deduplicated, in order. */
function referencedFigures(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(/\]\((figures\/[^)\s]+\.(?:svg|png))\)/g)].map((m) => m[1]))];
}

/** Assert a PNG's signature and IHDR size, and that its SVG twin renders to a non-blank image with text. */
function expectValidFigure(svgPath: string): { svg: string; width: number; height: number } {
  const svg = readFileSync(svgPath, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toContain('<text');
  const width = Number(/^<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
  const height = Number(/^<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
  expect(width).toBeGreaterThan(100);
  const pngPath = svgPath.replace(/\.svg$/, '.png');
  expect(existsSync(pngPath)).toBe(true);
  const png = readFileSync(pngPath);
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect(png.readUInt32BE(16)).toBe(2 * width);
  expect(png.readUInt32BE(20)).toBe(2 * height);
  // Non-blank: a visible share of the rendered pixels is not white.
  const img = new Resvg(svg, {
    background: '#ffffff',
    font: { fontFiles: FIGURE_FONT.files, loadSystemFonts: false, defaultFontFamily: FIGURE_FONT.family },
  }).render();
  // `pixels` is a getter that copies the whole RGBA buffer: read it once.
  const px = img.pixels;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) ink++;
  expect(ink / (img.width * img.height)).toBeGreaterThan(0.01);
  return { svg, width, height };
}

/** Every referenced figure exists as both .svg and .png, is valid, and the written list matches. */
export function expectFigures(markdownPath: string, written: string[]): Map<string, string> {
  const md = readFileSync(markdownPath, 'utf8');
  const dir = path.dirname(markdownPath);
  const refs = referencedFigures(md);
  const svgs = new Map<string, string>();
  for (const ref of refs) expect(existsSync(path.join(dir, ref)), `${ref} referenced from report.md`).toBe(true);
  for (const ref of refs.filter((r) => r.endsWith('.svg'))) {
    expect(refs).toContain(ref.replace(/\.svg$/, '.png'));
    svgs.set(path.basename(ref, '.svg'), expectValidFigure(path.join(dir, ref)).svg);
  }
  expect([...written].sort()).toEqual(refs.map((r) => path.join(dir, r)).sort());
  return svgs;
}

/** Occurrences of `attr="value"` in an SVG (e.g. a series colour: bars, lines, legend icons). */
export function countAttr(svg: string, attr: string, value: string): number {
  return svg.split(`${attr}="${value}"`).length - 1;
}

/** The Markdown table rows (cells trimmed) that start with the given first cell. */
export function tableRow(markdown: string, first: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('| '))
    .map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim()),
    )
    .filter((c) => c[0] === first);
}
