/**
 * Rows -> bytes in the tabular formats `plume query`, `plume export` and the dashboard offer: an aligned text table for
 * people, CSV (RFC 4180) for spreadsheets and R, JSON (an array of objects), and Parquet (typed
 * columns, readable by pandas/pyarrow/R arrow). Dates become ISO strings (CSV/JSON/table) or
 * TIMESTAMP_MILLIS (Parquet); objects and arrays become JSON text.
 */
import { Writable } from 'node:stream';
import parquet from '@dsnp/parquetjs';
import { bigintAsText, columnKindOfValues, valueText, type ColumnKind } from './column-types.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'parquet';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json', 'parquet'];

type Row = Record<string, unknown>;

function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

export function toCsv(rows: Row[], fields: string[]): string {
  const esc = (s: string): string => (/[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [fields.map(esc).join(',')];
  for (const r of rows) lines.push(fields.map((f) => esc(valueText(r[f]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toTable(rows: Row[], fields: string[], maxWidth = 60): string {
  const clip = (s: string): string => {
    const one = s.replace(/\s+/g, ' ');
    return one.length > maxWidth ? `${one.slice(0, maxWidth - 1)}…` : one;
  };
  const cells = rows.map((r) => fields.map((f) => clip(valueText(r[f]))));
  const numeric = fields.map(
    (f) => rows.length > 0 && rows.every((r) => r[f] === null || r[f] === undefined || typeof r[f] === 'number' || typeof r[f] === 'bigint'),
  );
  const width = fields.map((f, k) => Math.max(f.length, ...cells.map((c) => c[k].length)));
  const pad = (s: string, k: number): string => (numeric[k] ? s.padStart(width[k]) : s.padEnd(width[k]));
  const out = [
    fields
      .map((f, k) => pad(f, k))
      .join('  ')
      .trimEnd(),
    width.map((w) => '-'.repeat(w)).join('  '),
  ];
  for (const c of cells)
    out.push(
      c
        .map((s, k) => pad(s, k))
        .join('  ')
        .trimEnd(),
    );
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

function toJson(rows: Row[], fields: string[]): string {
  const list = rows.map((r) => Object.fromEntries(fields.map((f) => [f, jsonValue(r[f])])));
  return `${JSON.stringify(list, bigintAsText, 2)}\n`;
}

type ParquetKind = 'DOUBLE' | 'INT64' | 'BOOLEAN' | 'TIMESTAMP_MILLIS' | 'UTF8';

const PARQUET_OF: Record<ColumnKind, ParquetKind> = {
  integer: 'INT64',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP_MILLIS',
  json: 'UTF8',
  text: 'UTF8',
};

function parquetValue(v: unknown, kind: ParquetKind): unknown {
  if (v === null || v === undefined) return undefined;
  switch (kind) {
    case 'UTF8':
      return valueText(v);
    case 'INT64':
      return typeof v === 'bigint' ? v : BigInt(Math.round(Number(v)));
    case 'DOUBLE':
      return Number(v);
    case 'TIMESTAMP_MILLIS':
      return v instanceof Date ? v : new Date(valueText(v));
    case 'BOOLEAN':
      return Boolean(v);
    default:
      return v;
  }
}

/** Parquet bytes; one optional column per field, typed by `columnKinds` (db/column-types.ts; from the values when not given). */
async function toParquet(rows: Row[], fields: string[], columnKinds?: ColumnKind[]): Promise<Buffer> {
  if (fields.length === 0) throw new Error('cannot write Parquet without columns');
  const kinds = fields.map((f, k) => PARQUET_OF[columnKinds?.[k] ?? columnKindOfValues(rows.map((r) => r[f]))]);
  const schema = new parquet.ParquetSchema(Object.fromEntries(fields.map((f, k) => [f, { type: kinds[k], optional: true, compression: 'SNAPPY' as const }])));
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  const writer = await parquet.ParquetWriter.openStream(schema, sink as never);
  for (const r of rows) {
    const rec: Record<string, unknown> = {};
    fields.forEach((f, k) => {
      const v = parquetValue(r[f], kinds[k]);
      if (v !== undefined) rec[f] = v;
    });
    await writer.appendRow(rec);
  }
  await writer.close();
  return Buffer.concat(chunks);
}

/** Format rows for output; text formats come back as UTF-8 bytes too, so callers write one thing. */
export async function formatRows(rows: Row[], fields: string[], format: OutputFormat, kinds?: ColumnKind[]): Promise<Buffer> {
  switch (format) {
    case 'table':
      return Buffer.from(toTable(rows, fields));
    case 'csv':
      return Buffer.from(toCsv(rows, fields));
    case 'json':
      return Buffer.from(toJson(rows, fields));
    case 'parquet':
      return toParquet(rows, fields, kinds);
    default:
      throw new Error(`unknown format '${String(format)}': use one of ${OUTPUT_FORMATS.join(', ')}`);
  }
}
