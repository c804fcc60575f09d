/** `plume query`, `plume export`, `plume dashboard`: reading results. */
import { writeFile } from 'node:fs/promises';
import { openExistingDatabase } from '../existing-state.js';
import { ExportError, EXPORT_WHATS, exportCampaign, type ExportWhat } from '../../db/export.js';
import { QueryRefusedError, runReadOnlyQuery } from '../../db/read-only-query.js';
import type { Stack } from '../../worker/stack.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';
import { formatRows, OUTPUT_FORMATS, type OutputFormat } from '../../db/tabular-format.js';

function checkFormat(format: string, allowed: readonly string[]): void {
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, got '${format}'`);
}

export async function queryCommand(sql: string, opts: { format: string; out?: string; limit?: number; timeout?: number }): Promise<number> {
  checkFormat(opts.format, OUTPUT_FORMATS);
  if (opts.format === 'parquet' && !opts.out && process.stdout.isTTY) {
    throw new UsageError('parquet is binary: add --out FILE.parquet (or redirect stdout)');
  }
  const database = await openExistingDatabase();
  try {
    const res = await runReadOnlyQuery(database, sql, { rowLimit: opts.limit, timeoutMs: opts.timeout });
    const bytes = await formatRows(res.rows, res.fields, opts.format as OutputFormat, res.kinds);
    if (opts.out) await writeFile(opts.out, bytes);
    else process.stdout.write(bytes);
    if (res.truncated) process.stderr.write(`plume: output truncated at ${res.rowLimit} rows (raise --limit)\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof QueryRefusedError) throw new UsageError(e.message);
    throw e;
  } finally {
    await database.close();
  }
}

export async function exportCommand(id: string, opts: { what: string; format: string; out?: string }): Promise<number> {
  if (!EXPORT_WHATS.includes(opts.what as ExportWhat)) throw new UsageError(`--what must be one of ${EXPORT_WHATS.join(', ')}, got '${opts.what}'`);
  checkFormat(opts.format, ['csv', 'parquet', 'json', 'table']);
  const out = opts.out ?? (opts.format === 'parquet' ? `${id}-${opts.what}.parquet` : undefined);
  const database = await openExistingDatabase();
  try {
    const res = await exportCampaign(database, id, { what: opts.what as ExportWhat, format: opts.format as 'csv', out });
    if (out) process.stderr.write(`plume: wrote ${res.rows} rows (${res.fields.length} columns) to ${out}\n`);
    else process.stdout.write(res.bytes);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof ExportError) throw new UsageError(e.message);
    throw e;
  } finally {
    await database.close();
  }
}

export async function dashboardCommand(opts: { port: number; host: string }): Promise<number> {
  // Join a running stack (`plume dev`, `plume run`, or TEMPORAL_ADDRESS); else host a full one.
  // Loaded here, so `plume query`/`export` start without Temporal and the web server.
  const [{ startDashboard }, { openStack }, { initWorkerBackend }] = await Promise.all([
    import('../../dashboard/server.js'),
    import('../../worker/stack.js'),
    import('../../worker/worker-backend.js'),
  ]);
  let stack: Stack;
  try {
    stack = await openStack({ startTemporal: false });
  } catch {
    stack = await openStack({ workers: ['cpu'], metricsPort: 0, backend: await initWorkerBackend() });
  }
  const d = await startDashboard({ port: opts.port, host: opts.host, stack });
  process.stderr.write(`[plume] dashboard: ${d.url} (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await d.close();
  await stack.close();
  return EXIT_OK;
}
