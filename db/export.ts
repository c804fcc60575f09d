/**
 * `plume export ID --what runs|metrics|predictions --format csv|parquet`: one campaign's results as
 * a flat table for pandas or R. Scalar entries of `params`, `output` and `summary` objects become
 * their own columns (`param_<name>`, `out_<name>`, `summary_<name>`); the rest stays JSON text.
 * Only fixed, parameterised SQL here.
 */
import { writeFile } from 'node:fs/promises';
import { formatRows, type OutputFormat } from './tabular-format.js';
import type { Database } from './client.js';
import { columnKindOfValues, typeRows } from './column-types.js';

export type ExportWhat = 'runs' | 'metrics' | 'predictions';
export const EXPORT_WHATS: readonly ExportWhat[] = ['runs', 'metrics', 'predictions'];

export interface ExportOptions {
  what: ExportWhat;
  format: Exclude<OutputFormat, 'table'> | 'table';
  /** Write here instead of only returning the bytes. */
  out?: string;
}

export interface ExportResult {
  fields: string[];
  rows: number;
  bytes: Buffer;
}

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

const QUERIES: Record<ExportWhat, string> = {
  runs: `select run_index, status, attempt, worker, backend, started_at, finished_at, duration_ms, error, params, output
         from runs where campaign_id = $1 order by run_index`,
  metrics: `select x.owner_type, x.owner_id, m.arch, m.variable, m.repeat, x.name, x.split, x.step, x.value, x.created_at
            from metrics x left join models m on x.owner_type = 'model' and m.id = x.owner_id
            where (x.owner_type = 'campaign' and x.owner_id = $1)
               or (x.owner_type = 'model' and m.campaign_id = $1)
               or (x.owner_type = 'run' and x.owner_id like $1 || ':%')
            order by x.owner_type, x.owner_id, x.name, x.split, x.step`,
  predictions: `select run_index, variable, model_id, artifact_id, summary
                from predictions where campaign_id = $1 order by run_index, variable`,
};

const FLATTEN: Partial<Record<ExportWhat, Record<string, string>>> = {
  runs: { params: 'param_', output: 'out_' },
  predictions: { summary: 'summary_' },
};

function isScalar(v: unknown): boolean {
  return v === null || ['number', 'string', 'boolean'].includes(typeof v);
}

/** Move scalar entries of object columns into prefixed columns (in first-seen order). */
function flattenColumns(
  rows: Record<string, unknown>[],
  fields: string[],
  prefixes: Record<string, string>,
): { rows: Record<string, unknown>[]; fields: string[] } {
  const outFields: string[] = [];
  const extra = new Map<string, string[]>();
  for (const f of fields) {
    const prefix = prefixes[f];
    if (!prefix) {
      outFields.push(f);
      continue;
    }
    const keys: string[] = [];
    for (const r of rows) {
      const o = r[f];
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        for (const [k, v] of Object.entries(o)) if (isScalar(v) && !keys.includes(k)) keys.push(k);
      }
    }
    extra.set(f, keys);
    outFields.push(...keys.map((k) => `${prefix}${k}`), f);
  }
  const out = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const f of fields) {
      const keys = extra.get(f);
      if (!keys) {
        o[f] = r[f];
        continue;
      }
      const src = (r[f] ?? {}) as Record<string, unknown>;
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(src)) if (!keys.includes(k)) rest[k] = v;
      for (const k of keys) o[`${prefixes[f]}${k}`] = src[k] ?? null;
      o[f] = Object.keys(rest).length > 0 ? rest : null;
    }
    return o;
  });
  return { rows: out, fields: outFields };
}

export async function exportCampaign(database: Database, campaignId: string, opts: ExportOptions): Promise<ExportResult> {
  if (!EXPORT_WHATS.includes(opts.what)) throw new ExportError(`--what must be one of ${EXPORT_WHATS.join(', ')}, got '${opts.what}'`);
  const exists = await database.query('select 1 from campaigns where id = $1', [campaignId]);
  if (exists.rows.length === 0) throw new ExportError(`no campaign with id '${campaignId}' (list them with \`plume list\`)`);
  const res = await database.query(QUERIES[opts.what], [campaignId]);
  const typed = typeRows(res.rows, res.fields, res.types);
  const flat = FLATTEN[opts.what] ? flattenColumns(typed.rows, typed.fields, FLATTEN[opts.what]!) : typed;
  // Database columns keep their type; flattened JSON entries are typed from their values.
  const kinds = flat.fields.map((f) => (typed.fields.includes(f) ? typed.kinds[typed.fields.indexOf(f)] : columnKindOfValues(flat.rows.map((r) => r[f]))));
  const bytes = await formatRows(flat.rows, flat.fields, opts.format, kinds);
  if (opts.out) await writeFile(opts.out, bytes);
  return { fields: flat.fields, rows: flat.rows.length, bytes };
}
