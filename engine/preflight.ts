/**
 * Validation that needs no running stack, done before Temporal starts or anything is written:
 * the total-runs cap, and the kind's own checks (parameter names, referenced datasets and
 * campaigns existing in the state, files and folders existing, paths confined to allowed roots).
 * Problems are reported together as a SpecError (exit 2), each with its field.
 */
import path from 'node:path';
import type { Database } from '../db/client.js';
import type { BoundKindHandler } from './kind.js';
import type { PreflightContext, SpecIssue } from './kind-handler.js';
import { checkRunBudget, maxRuns } from './run-budget.js';
import { SpecError } from './spec-error.js';

export interface PreflightOptions {
  /** Folder of the spec file (relative paths in the spec resolve against it; it is an allowed root). */
  specDir?: string | null;
  /** The results database of existing state, or null when there is none yet. */
  database?: Database | null;
  /** Explicit total-runs cap (`--max-runs`). */
  maxRuns?: number;
  /** Extra allowed roots (e.g. the folder given to `plume import`). */
  extraRoots?: string[];
}

/** Data roots configured with `PLUME_DATA_ROOTS` (path-delimiter separated). */
function configuredDataRoots(): string[] {
  return (process.env.PLUME_DATA_ROOTS ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((p) => path.resolve(p));
}

/** True when `p` is `root` or inside it (after resolving `..`). */
function insideRoot(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function preflightCampaign(handler: BoundKindHandler, opts: PreflightOptions = {}, source = 'spec'): Promise<void> {
  const planned = handler.plannedRuns?.();
  if (planned) checkRunBudget(planned, maxRuns(opts.maxRuns), source);
  if (!handler.preflight) return;
  const specDir = opts.specDir ? path.resolve(opts.specDir) : null;
  const ctx: PreflightContext = {
    database: opts.database ?? null,
    specDir,
    allowedRoots: [...(specDir ? [specDir] : []), ...configuredDataRoots(), ...(opts.extraRoots ?? []).map((r) => path.resolve(r))],
    insideAllowedRoots(p) {
      return this.allowedRoots.some((r) => insideRoot(p, r));
    },
  };
  const issues: SpecIssue[] = await handler.preflight(ctx);
  if (issues.length > 0) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    throw new SpecError(`${source}: invalid campaign spec\n${lines}`, issues);
  }
}
