/**
 * Server-side figure rendering: an ECharts option becomes an SVG string through ECharts' SSR SVG
 * renderer, and a PNG through resvg. resvg is given the machine's sans-serif font files explicitly
 * (Liberation Sans, metric-compatible with the Arial widths ECharts assumes when it lays out text without a canvas; else DejaVu Sans) so text never silently disappears from the PNG.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

type ChartOption = echarts.EChartsCoreOption;

/** A figure ready to render: its ECharts option and pixel size. */
export interface Figure {
  option: ChartOption;
  width: number;
  height: number;
}

const FONT_CANDIDATES: { family: string; files: string[] }[] = [
  {
    family: 'Liberation Sans',
    files: ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'],
  },
  {
    family: 'DejaVu Sans',
    files: ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  },
];

/** The font family every figure uses, and the files resvg loads for it (empty: system fonts only). */
export const FIGURE_FONT = (() => {
  for (const c of FONT_CANDIDATES) {
    const files = c.files.filter((f) => existsSync(f));
    if (files.length > 0) return { family: c.family, files };
  }
  return { family: 'sans-serif', files: [] as string[] };
})();

export function renderSvg(figure: Figure): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: figure.width, height: figure.height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: FIGURE_FONT.family }, ...figure.option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterise an SVG at twice its size (crisp on high-density screens and in PDFs). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: FIGURE_FONT.files,
      loadSystemFonts: FIGURE_FONT.files.length === 0,
      defaultFontFamily: FIGURE_FONT.family,
      sansSerifFamily: FIGURE_FONT.family,
    },
  });
  return Buffer.from(resvg.render().asPng());
}
