/**
 * One column typing for every tabular output (`plume export`, `plume query`, the dashboard's query
 * endpoint) whichever way the database is reached: in-process PGlite, PGlite over its socket, or a
 * Postgres server through postgres.js. The drivers disagree on values (postgres.js returns int8 and
 * numeric as strings, timestamps as strings over a simple-protocol socket, PGlite returns Dates),
 * so values are converted from the column's PostgreSQL type (its OID), not from what the driver
 * made of it: integers and floats are numbers, timestamps are Dates, json is parsed, booleans are
 * booleans. Columns of unknown type (and JSON objects flattened into columns) are typed from their
 * values.
 */
export type ColumnKind = 'integer' | 'float' | 'boolean' | 'timestamp' | 'json' | 'text';

/** PostgreSQL type OIDs (pg_type.oid, stable across servers). */
const OID_KINDS: Record<number, ColumnKind> = {
  16: 'boolean',
  20: 'integer', // int8
  21: 'integer', // int2
  23: 'integer', // int4
  26: 'integer', // oid
  700: 'float', // float4
  701: 'float', // float8
  1700: 'float', // numeric
  1082: 'timestamp', // date
  1114: 'timestamp', // timestamp
  1184: 'timestamp', // timestamptz
  114: 'json',
  3802: 'json', // jsonb
};

/** JSON.stringify replacer for driver values: bigints (int8 from some drivers) as decimal text. */
export const bigintAsText = (_key: string, x: unknown): unknown => (typeof x === 'bigint' ? x.toString() : x);

/** A driver value as text: strings as they are, other scalars by String, Dates as ISO, objects and arrays as JSON. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, bigintAsText) ?? '';
}

function columnKindOfOid(oid: number | undefined): ColumnKind | null {
  return oid === undefined ? null : (OID_KINDS[oid] ?? 'text');
}

/** A value as the column kind says (null stays null). */
function typedValue(v: unknown, kind: ColumnKind): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'integer': {
      const n = typeof v === 'bigint' ? Number(v) : Number(v);
      return Number.isSafeInteger(n) ? n : valueText(v);
    }
    case 'float':
      return typeof v === 'number' ? v : Number(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 't' || v === 'true' || v === 1;
    case 'timestamp': {
      const d =
        v instanceof Date
          ? v
          : new Date(
              valueText(v)
                .replace(' ', 'T')
                .replace(/([+-]\d\d)$/, '$1:00'),
            );
      return Number.isNaN(d.getTime()) ? valueText(v) : d;
    }
    case 'json':
      if (typeof v === 'string') {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          return v;
        }
      }
      return v;
    default:
      return typeof v === 'object' && !(v instanceof Date) ? v : valueText(v);
  }
}

/** The kind of a column from its values (flattened JSON entries, or a driver that gave no type). */
export function columnKindOfValues(values: unknown[]): ColumnKind {
  let kind: ColumnKind | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const k: ColumnKind =
      typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'float'
        : typeof v === 'bigint'
          ? 'integer'
          : typeof v === 'boolean'
            ? 'boolean'
            : v instanceof Date
              ? 'timestamp'
              : typeof v === 'object'
                ? 'json'
                : 'text';
    if (kind === null || kind === k) kind = k;
    else if ((kind === 'integer' && k === 'float') || (kind === 'float' && k === 'integer')) kind = 'float';
    else return 'text';
  }
  return kind ?? 'text';
}

export interface TypedRows {
  rows: Record<string, unknown>[];
  fields: string[];
  kinds: ColumnKind[];
}

/** Rows with every value converted to its column's kind (from the OIDs; from the values where a type is unknown). */
export function typeRows(rows: Record<string, unknown>[], fields: string[], oids: (number | undefined)[] = []): TypedRows {
  const kinds = fields.map((f, k) => columnKindOfOid(oids[k]) ?? columnKindOfValues(rows.map((r) => r[f])));
  const out = rows.map((r) => Object.fromEntries(fields.map((f, k) => [f, typedValue(r[f], kinds[k])])));
  return { rows: out, fields, kinds };
}
