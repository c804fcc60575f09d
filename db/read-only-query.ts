/**
 * Read-only SQL for `plume query` and `POST /api/query`: the one place where SQL text from a user
 * reaches the database. Layers, each sufficient for the common attacks and together for the rest:
 *
 * 1. The text is parsed with PostgreSQL's own grammar (libpg-query, the server's parser compiled to
 *    WebAssembly): a syntax error is reported as one; exactly one statement, and it must be a query
 *    (SELECT / WITH / VALUES / TABLE) with no data-modifying statement inside (WITH ... DELETE), no
 *    SELECT INTO, and no call of a function that reads files, runs SQL given as text, changes
 *    settings or roles, sleeps, signals backends or takes locks.
 * 2. A `READ ONLY` transaction whose snapshot is taken before the user's statement (so
 *    `set transaction read write` is refused), `SET LOCAL statement_timeout`, and, when it exists,
 *    `SET LOCAL ROLE plume_reader` (migration 0001: SELECT on the tables and nothing else). The
 *    transaction is always rolled back. These are the real guards; 1 makes the messages clear.
 * 3. The statement runs as a `NO SCROLL CURSOR` (which refuses anything but a query, including
 *    data-modifying WITH), and at most `rowLimit + 1` rows are fetched.
 * 4. Embedded PGlite cannot interrupt a running statement (no statement timeout in WASM), so there
 *    the planner's cost estimate must stay under `maxCost` and recursive CTEs are refused.
 */
import { sql } from 'drizzle-orm';
import { loadModule, parseSync, scanSync } from 'libpg-query';
import type { Database } from './client.js';
import { typeRows, type ColumnKind } from './column-types.js';

export interface ReadOnlyQueryOptions {
  /** Statement timeout (ms). Default 10 000. Enforced by the server; on PGlite see `maxCost`. */
  timeoutMs?: number;
  /** Rows returned at most; `truncated` says when there were more. Default 10 000. */
  rowLimit?: number;
  /** Largest planner cost accepted on PGlite (about 1 s per 10 000 cost units here). Default 200 000. */
  maxCost?: number;
}

export interface ReadOnlyQueryResult {
  fields: string[];
  /** Each field's kind (db/column-types.ts); values are converted to it. */
  kinds: ColumnKind[];
  rows: Record<string, unknown>[];
  /** More rows than `rowLimit` existed; `rows` holds the first `rowLimit`. */
  truncated: boolean;
  rowLimit: number;
  elapsedMs: number;
}

/** The query was refused before or while running (bad input, not a server fault). */
export class QueryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRefusedError';
  }
}

/** Functions refused anywhere in the text (prefix match on the lowercased name). */
const DENIED_FUNCTION_PREFIXES = [
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_',
  'pg_stat_file',
  'pg_file_',
  'lo_',
  'dblink',
  'set_config',
  'query_to_xml',
  'cursor_to_xml',
  'table_to_xml',
  'schema_to_xml',
  'database_to_xml',
  'ts_stat',
  'ts_rewrite',
  'pg_sleep',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_promote',
  'pg_switch_wal',
  'pg_create_',
  'pg_drop_replication',
  'pg_logical_',
  'pg_replication_',
  'pg_advisory',
  'pg_try_advisory',
  'pg_notify',
  'pg_import_system',
  'pg_log_backend',
  'nextval',
  'setval',
];

/** Statement keywords: named in the message when a syntax error is near one used inside a query. */
const STATEMENT_WORDS = new Set([
  'copy',
  'insert',
  'update',
  'delete',
  'merge',
  'drop',
  'create',
  'alter',
  'truncate',
  'grant',
  'revoke',
  'do',
  'call',
  'set',
  'vacuum',
  'lock',
]);

await loadModule();

interface ParsedStatement {
  stmt: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

/** `SelectStmt` -> `SELECT`, `CopyStmt` -> `COPY`, `VariableSetStmt` -> `VARIABLE SET`. */
function statementName(node: string): string {
  return node
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

interface SyntaxErrorLike {
  message: string;
  sqlDetails?: { cursorPosition?: number };
}

function syntaxError(text: string, e: SyntaxErrorLike): QueryRefusedError {
  const at = e.sqlDetails?.cursorPosition;
  let hint = '';
  try {
    const tokens = scanSync(text).tokens;
    const before = tokens.filter((t) => at === undefined || t.start <= at);
    for (let k = before.length - 1; k >= 0; k--) {
      const word = before[k].text.toLowerCase();
      const prev = before[k - 1]?.text;
      if (STATEMENT_WORDS.has(word) && (k === 0 || prev === '(' || prev === ';')) {
        hint = ` (${word.toUpperCase()} is a statement of its own: only queries are allowed here)`;
        break;
      }
    }
  } catch {
    /* the scanner failed too (an unterminated literal): the parser's message says enough */
  }
  const where = at !== undefined ? ` (character ${at + 1})` : '';
  const msg = /^syntax error/.test(e.message) ? e.message : `syntax error: ${e.message}`;
  return new QueryRefusedError(`${msg}${where}${hint}`);
}

/** Refuse what a query must not contain anywhere in its tree. */
function checkTree(node: unknown, opts: { embedded?: boolean }): void {
  if (Array.isArray(node)) {
    for (const x of node) checkTree(x, opts);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key.endsWith('Stmt') && key !== 'SelectStmt') {
      throw new QueryRefusedError(`${statementName(key)} inside a query is refused: this endpoint is read-only (no data-modifying statements)`);
    }
    if (key === 'SelectStmt' && (value as { intoClause?: unknown }).intoClause) {
      throw new QueryRefusedError('SELECT INTO creates a table and is not allowed in a read-only query: drop the INTO clause');
    }
    if (key === 'FuncCall') {
      const names = ((value as { funcname?: { String?: { sval?: string } }[] }).funcname ?? []).map((n) => n.String?.sval ?? '');
      const name = (names.at(-1) ?? '').toLowerCase();
      if (DENIED_FUNCTION_PREFIXES.some((p) => name.startsWith(p))) {
        throw new QueryRefusedError(
          `function ${name}() is not allowed in a read-only query (it reads files, runs SQL text, changes settings, waits or takes locks)`,
        );
      }
    }
    if ((key === 'withClause' || key === 'WithClause') && (value as { recursive?: boolean }).recursive && opts.embedded === true) {
      throw new QueryRefusedError(
        'WITH RECURSIVE is not allowed on the embedded database (it cannot interrupt a query that never ends); use a Postgres server (DATABASE_URL)',
      );
    }
    checkTree(value, opts);
  }
}

/** Throws `QueryRefusedError` naming the problem (a syntax error, or what is refused); returns the one statement's text. */
export function checkQueryText(text: string, opts: { embedded?: boolean } = {}): string {
  if (typeof text !== 'string' || text.trim() === '') throw new QueryRefusedError('empty query: give one SELECT statement');
  if (text.length > 100_000) throw new QueryRefusedError('query longer than 100 000 characters');
  let stmts: ParsedStatement[];
  try {
    stmts = (parseSync(text) as { stmts?: ParsedStatement[] }).stmts ?? [];
  } catch (e) {
    throw syntaxError(text, e as SyntaxErrorLike);
  }
  if (stmts.length === 0) throw new QueryRefusedError('empty query: give one SELECT statement (the text holds only comments)');
  if (stmts.length > 1) throw new QueryRefusedError('only one statement is allowed: remove the ";" between statements');
  const [only] = stmts;
  const kind = Object.keys(only.stmt)[0] ?? '';
  if (kind !== 'SelectStmt') {
    throw new QueryRefusedError(`only queries are allowed (SELECT, WITH, VALUES, TABLE); got ${statementName(kind)}: this endpoint is read-only`);
  }
  checkTree(only.stmt, opts);
  // The statement's own text (locations are UTF-8 byte offsets), without a trailing ";".
  const bytes = Buffer.from(text, 'utf8');
  const from = only.stmt_location ?? 0;
  const statement = bytes.subarray(from, only.stmt_len ? from + only.stmt_len : undefined).toString('utf8');
  return statement.replace(/[\s;]+$/, '');
}

class Rollback extends Error {}

interface RawResult {
  rows: Record<string, unknown>[];
  fields: string[];
  types: (number | undefined)[];
}

function normalise(res: unknown): RawResult {
  // PGlite: { rows, fields: [{name, dataTypeID}] }; postgres.js: an array with `.columns: [{name, type}]`.
  const r = res as { rows?: Record<string, unknown>[]; fields?: { name: string; dataTypeID?: number }[]; columns?: { name: string; type?: number }[] };
  if (Array.isArray(res))
    return { rows: [...(res as Record<string, unknown>[])], fields: (r.columns ?? []).map((c) => c.name), types: (r.columns ?? []).map((c) => c.type) };
  return { rows: r.rows ?? [], fields: (r.fields ?? []).map((f) => f.name), types: (r.fields ?? []).map((f) => f.dataTypeID) };
}

const engineCache = new WeakMap<Database, Promise<{ pglite: boolean; reader: boolean }>>();

/** Is the database PGlite (in-process or over its socket), and does the reader role exist? */
function engineOf(database: Database): Promise<{ pglite: boolean; reader: boolean }> {
  let p = engineCache.get(database);
  if (!p) {
    p = (async () => {
      const v = await database.query(
        `select exists (select 1 from pg_roles where rolname = 'plume_reader') and pg_has_role(current_user, 'plume_reader', 'MEMBER') as reader`,
      );
      return { pglite: database.engine === 'pglite', reader: v.rows[0]?.reader === true };
    })();
    engineCache.set(database, p);
  }
  return p;
}

function positiveInt(v: number | undefined, dflt: number, name: string, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new QueryRefusedError(`${name} must be an integer between 1 and ${max}, got ${v}`);
  return v;
}

const TRANSLATED: [RegExp, string][] = [
  [/read-only transaction/i, 'this endpoint is read-only: writes and DDL are refused'],
  [/statement timeout/i, 'the query ran longer than the statement timeout and was cancelled: add a WHERE clause or LIMIT'],
  [/permission denied/i, 'permission denied for the read-only role'],
  [/DECLARE CURSOR/i, 'only queries are allowed: data-modifying statements are refused'],
  [/read-write mode must be set before any query/i, 'this endpoint is read-only: writes and DDL are refused'],
];

/** Run one query in a read-only transaction; see the file comment for what is refused and how. */
export async function runReadOnlyQuery(database: Database, text: string, opts: ReadOnlyQueryOptions = {}): Promise<ReadOnlyQueryResult> {
  const timeoutMs = positiveInt(opts.timeoutMs, 10_000, 'timeoutMs', 3_600_000);
  const rowLimit = positiveInt(opts.rowLimit, 10_000, 'rowLimit', 1_000_000);
  const maxCost = opts.maxCost ?? 200_000;
  const engine = await engineOf(database);
  const statement = checkQueryText(text, { embedded: engine.pglite });
  const t0 = performance.now();
  let out: RawResult | null = null;
  try {
    await database.db.transaction(async (tx) => {
      const exec = async (q: string): Promise<RawResult> => normalise(await tx.execute(sql.raw(q)));
      await exec('set transaction read only');
      await exec(`set local statement_timeout = ${timeoutMs}`);
      await exec(`set local idle_in_transaction_session_timeout = ${timeoutMs + 5000}`);
      if (engine.reader) await exec('set local role plume_reader');
      // Take the snapshot now: from here on `set transaction read write` is refused.
      await exec('select 1');
      if (engine.pglite) {
        const plan = await exec(`explain (format json) ${statement}`);
        const cell = plan.rows[0]?.[plan.fields[0] ?? 'QUERY PLAN'];
        const json = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: { 'Total Cost': number } }[];
        const cost = json[0]?.Plan['Total Cost'] ?? 0;
        if (cost > maxCost) {
          throw new QueryRefusedError(
            `query refused: estimated cost ${Math.round(cost)} exceeds the embedded database's limit ${maxCost} (it cannot interrupt long queries): narrow it with WHERE/LIMIT, or use a Postgres server`,
          );
        }
      }
      await exec(`declare plume_query no scroll cursor for ${statement}`);
      out = await exec(`fetch forward ${rowLimit + 1} from plume_query`);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) {
      if (e instanceof QueryRefusedError) throw e;
      const msg = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message ?? String(e);
      const hit = TRANSLATED.find(([re]) => re.test(msg));
      throw new QueryRefusedError(hit ? `${hit[1]} (${msg.split('\n')[0]})` : msg.replace(/^Failed query:[\s\S]*?\n/, '').split('\n')[0]);
    }
  }
  const res = out as RawResult | null;
  if (!res) throw new QueryRefusedError('the query returned no result');
  const dup = res.fields.find((f, k) => res.fields.indexOf(f) !== k);
  if (dup) throw new QueryRefusedError(`column name '${dup}' appears twice: give the columns distinct aliases (AS ...)`);
  const truncated = res.rows.length > rowLimit;
  const typed = typeRows(truncated ? res.rows.slice(0, rowLimit) : res.rows, res.fields, res.types);
  return {
    fields: res.fields,
    kinds: typed.kinds,
    rows: typed.rows,
    truncated,
    rowLimit,
    elapsedMs: performance.now() - t0,
  };
}
