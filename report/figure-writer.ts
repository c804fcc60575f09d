/**
 * Writes report figures as `.svg` and `.png` side by side under `<outDir>/figures/` and returns
 * the Markdown that shows the PNG and links the SVG. File names are `<prefix><name>` (prefix per
 * pipeline stage), sanitised and made unique within the report.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderSvg, svgToPng, type Figure } from './figures/render-figure.js';

const FIGURES_DIR = 'figures';

interface Written {
  /** Absolute paths of every file written (svg and png). */
  files: string[];
  /** Base names taken. */
  used: Set<string>;
}

export class FigureWriter {
  constructor(
    readonly outDir: string,
    readonly prefix = '',
    private readonly written: Written = { files: [], used: new Set() },
  ) {}

  /** Absolute paths of every file written by this writer and its children (svg and png). */
  get files(): string[] {
    return this.written.files;
  }

  /** A writer for a sub-report (pipeline stage) sharing this one's directory and file list. */
  child(prefix: string): FigureWriter {
    return new FigureWriter(this.outDir, `${this.prefix}${prefix}`, this.written);
  }

  async add(name: string, caption: string, figure: Figure): Promise<string> {
    let base =
      `${this.prefix}${name}`
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .toLowerCase() || 'figure';
    if (this.written.used.has(base)) {
      let k = 2;
      while (this.written.used.has(`${base}-${k}`)) k++;
      base = `${base}-${k}`;
    }
    this.written.used.add(base);
    const dir = path.join(this.outDir, FIGURES_DIR);
    await mkdir(dir, { recursive: true });
    const svg = renderSvg(figure);
    const svgPath = path.join(dir, `${base}.svg`);
    const pngPath = path.join(dir, `${base}.png`);
    await writeFile(svgPath, svg);
    await writeFile(pngPath, svgToPng(svg));
    this.written.files.push(svgPath, pngPath);
    const alt = caption.replace(/[[\]]/g, '');
    return `![${alt}](${FIGURES_DIR}/${base}.png)\n\n*${caption}* ([SVG](${FIGURES_DIR}/${base}.svg))`;
  }
}
