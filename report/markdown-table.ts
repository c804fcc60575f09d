/** GitHub-flavoured Markdown tables (pipes and newlines in cells escaped). */
export type Cell = string | number | null | undefined;

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `align`: 'l' | 'r' | 'c' per column; default left for the first column, right for the rest. */
export function markdownTable(headers: Cell[], rows: Cell[][], align?: ('l' | 'r' | 'c')[]): string {
  const al = headers.map((_, k) => align?.[k] ?? (k === 0 ? 'l' : 'r'));
  const sep = al.map((a) => (a === 'r' ? '---:' : a === 'c' ? ':---:' : '---'));
  const line = (cells: Cell[]) => `| ${headers.map((_, k) => cell(cells[k])).join(' | ')} |`;
  return [line(headers), `| ${sep.join(' | ')} |`, ...rows.map(line)].join('\n');
}
