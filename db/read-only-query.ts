/**
 * Read-only SQL for `plume query` and `POST /api/query`: the one place where SQL text from a user
 * reaches the database. Layers, each sufficient for the common attacks and together for the rest:
 *
 * 1. Lexical checks on the text (comments and literals understood): exactly one statement, starting
 *    with SELECT / WITH / VALUES / TABLE; no call of a function that reads files, runs SQL given as
 *    text, changes settings or roles, sleeps, signals backends or takes locks.
 * 2. A `READ ONLY` transaction whose snapshot is taken before the user's statement (so
 *    `set transaction read write` is refused), `SET LOCAL statement_timeout`, and, when it exists,
 *    `SET LOCAL ROLE plume_reader` (migration 0001: SELECT on the tables and nothing else). The
 *    transaction is always rolled back.
 * 3. The statement runs as a `NO SCROLL CURSOR` (which refuses anything but a query, including
 *    data-modifying WITH), and at most `rowLimit + 1` rows are fetched.
 * 4. Embedded PGlite cannot interrupt a running statement (no statement timeout in WASM), so there
 *    the planner's cost estimate must stay under `maxCost` and recursive CTEs are refused.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

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

const ALLOWED_FIRST = new Set(['select', 'with', 'values', 'table']);

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

/** Words refused anywhere outside literals (statements that are never part of a query). */
const DENIED_WORDS = new Set(['copy', 'program']);

interface Scanned {
  /** Lowercased words (identifiers and keywords, quoted identifiers included), in order. */
  words: { word: string; next: string }[];
  /** Text with comments and literals removed, for statement splitting. */
  skeleton: string;
}

/**
 * Tokenise enough of PostgreSQL's lexical grammar to tell code from comments and literals:
 * '...' (with '' escapes), E'...' (backslash escapes), $tag$...$tag$, "quoted identifiers",
 * -- line comments and nested block comments.
 */
export function scanSql(text: string): Scanned {
  const words: { word: string; next: string }[] = [];
  let skeleton = '';
  let i = 0;
  const n = text.length;
  const pushWord = (w: string, at: number): void => {
    let j = at;
    while (j < n && /\s/.test(text[j]!)) j++;
    words.push({ word: w, next: text[j] ?? '' });
  };
  while (i < n) {
    const c = text[i]!;
    const d = text[i + 1];
    if (c === '-' && d === '-') {
      while (i < n && text[i] !== '\n') i++;
      skeleton += ' ';
    } else if (c === '/' && d === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) throw new QueryRefusedError('unterminated /* comment: close it with */');
      skeleton += ' ';
    } else if (c === "'" || ((c === 'e' || c === 'E') && d === "'" && !/[\w$]/.test(text[i - 1] ?? ''))) {
      const backslash = c !== "'";
      i += backslash ? 2 : 1;
      let closed = false;
      while (i < n) {
        if (backslash && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") {
          i++;
          closed = true;
          break;
        } else i++;
      }
      if (!closed) throw new QueryRefusedError("unterminated string literal: close it with '");
      skeleton += "''";
    } else if (c === '$' && /[A-Za-z_$]/.test(d ?? '') && !/[\w$]/.test(text[i - 1] ?? '')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (!m) {
        skeleton += c;
        i++;
        continue;
      }
      const tag = m[0];
      const end = text.indexOf(tag, i + tag.length);
      if (end < 0) throw new QueryRefusedError(`unterminated dollar-quoted string: close it with ${tag}`);
      i = end + tag.length;
      skeleton += "''";
    } else if (c === '"') {
      let j = i + 1;
      let name = '';
      while (j < n) {
        if (text[j] === '"' && text[j + 1] === '"') {
          name += '"';
          j += 2;
        }
        else if (text[j] === '"') break;
        else name += text[j++];
      }
      if (j >= n) throw new QueryRefusedError('unterminated quoted identifier: close it with "');
      i = j + 1;
      pushWord(name.toLowerCase(), i);
      skeleton += ` "${name.replace(/[^A-Za-z0-9_]/g, '_')}" `;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[j]!)) j++;
      const w = text.slice(i, j);
      i = j;
      pushWord(w.toLowerCase(), i);
      skeleton += w;
    } else {
      skeleton += c;
      i++;
    }
  }
  return { words, skeleton };
}

/** Throws `QueryRefusedError` naming the problem; returns the statement without a trailing `;`. */
export function checkQueryText(text: string, opts: { embedded?: boolean } = {}): string {
  if (typeof text !== 'string' || text.trim() === '') throw new QueryRefusedError('empty query: give one SELECT statement');
  if (text.length > 100_000) throw new QueryRefusedError('query longer than 100 000 characters');
  const { words, skeleton } = scanSql(text);
  const body = skeleton.replace(/[\s;]+$/, '');
  if (body.includes(';')) throw new QueryRefusedError('only one statement is allowed: remove the ";" between statements');
  const first = words[0]?.word;
  if (!first || !ALLOWED_FIRST.has(first)) {
    throw new QueryRefusedError(
      `only queries are allowed (SELECT, WITH, VALUES, TABLE); got ${first ? `'${first.toUpperCase()}'` : 'no statement'}: this endpoint is read-only`,
    );
  }
  for (const { word, next } of words) {
    if (DENIED_WORDS.has(word)) throw new QueryRefusedError(`'${word.toUpperCase()}' is not allowed in a read-only query`);
    if (next === '(' || next === '') {
      const bad = DENIED_FUNCTION_PREFIXES.find((p) => word.startsWith(p));
      if (bad) throw new QueryRefusedError(`function ${word}() is not allowed in a read-only query (it reads files, runs SQL text, changes settings, waits or takes locks)`);
    }
    if (embedded(opts) && word === 'recursive') {
      throw new QueryRefusedError('WITH RECURSIVE is not allowed on the embedded database (it cannot interrupt a query that never ends); use a Postgres server (DATABASE_URL)');
    }
  }
  // Strip the trailing semicolons from the original text too (they are outside literals by now).
  return text.replace(/[\s;]+$/, '');
}

function embedded(opts: { embedded?: boolean }): boolean {
  return opts.embedded === true;
}

class Rollback extends Error {}

interface RawResult {
  rows: Record<string, unknown>[];
  fields: string[];
}

function normalise(res: unknown): RawResult {
  // PGlite: { rows, fields: [{name}] }; postgres.js: an array with `.columns: [{name}]`.
  const r = res as { rows?: Record<string, unknown>[]; fields?: { name: string }[]; columns?: { name: string }[] };
  if (Array.isArray(res)) return { rows: [...(res as Record<string, unknown>[])], fields: (r.columns ?? []).map((c) => c.name) };
  return { rows: r.rows ?? [], fields: (r.fields ?? []).map((f) => f.name) };
}

const engineCache = new WeakMap<Database, Promise<{ pglite: boolean; reader: boolean }>>();

/** Is the database PGlite (in-process or over its socket), and does the reader role exist? */
function engineOf(database: Database): Promise<{ pglite: boolean; reader: boolean }> {
  let p = engineCache.get(database);
  if (!p) {
    p = (async () => {
      const v = await database.query(
        `select version() as v, exists (select 1 from pg_roles where rolname = 'plume_reader') and pg_has_role(current_user, 'plume_reader', 'MEMBER') as reader`,
      );
      return { pglite: database.driver === 'pglite' || /pglite|wasm32/i.test(String(v.rows[0]?.v)), reader: v.rows[0]?.reader === true };
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
      throw new QueryRefusedError(hit ? `${hit[1]} (${msg.split('\n')[0]})` : msg.replace(/^Failed query:[\s\S]*?\n/, '').split('\n')[0]!);
    }
  }
  const res = out as RawResult | null;
  if (!res) throw new QueryRefusedError('the query returned no result');
  const dup = res.fields.find((f, k) => res.fields.indexOf(f) !== k);
  if (dup) throw new QueryRefusedError(`column name '${dup}' appears twice: give the columns distinct aliases (AS ...)`);
  const truncated = res.rows.length > rowLimit;
  return {
    fields: res.fields,
    rows: truncated ? res.rows.slice(0, rowLimit) : res.rows,
    truncated,
    rowLimit,
    elapsedMs: performance.now() - t0,
  };
}
