/**
 * A campaign kind as registered in kinds/index.ts: its spec schema, handler, compute tasks and
 * report. `defineKind` checks at compile time that they agree (the handler takes the spec's type;
 * the report reads the results the handler's `finalize` returns), and binds a parsed spec to the
 * handler for the generic activities, which only know `{ kind: string }`.
 */
import type { z } from 'zod';
import type { ComputeTask } from '../compute/task.js';
import type { CampaignRow, KindReport, ReportContext, ReportedCampaign } from '../report/report-context.js';
import type { HandlerContext, KindHandler, PreflightContext, ResultsError, RunInput, RunOutcome, SpecIssue, StageDefinition } from './kind-handler.js';
import type { PlannedRuns } from './run-budget.js';

/** A handler with its campaign's spec bound: what the generic activities call. */
export interface BoundKindHandler {
  kind: string;
  defaultBatchSize: number;
  chunkSize?: number;
  setup: StageDefinition[];
  stages: StageDefinition[];
  prepare(ctx: HandlerContext): Promise<{ params: Iterable<object> }>;
  plannedRuns?(): PlannedRuns;
  preflight?(ctx: PreflightContext): Promise<SpecIssue[]>;
  runSetup?(stage: string, ctx: HandlerContext): Promise<void>;
  /** `params` as read back from `runs.params` (written from this handler's `prepare`). */
  runBatch(stage: string, runs: RunInput<unknown>[], ctx: HandlerContext): Promise<RunOutcome[]>;
  finalize(ctx: HandlerContext): Promise<object | ResultsError>;
}

function bindHandler<S extends { kind: string }, P extends object, R extends object>(h: KindHandler<S, P, R>, spec: S): BoundKindHandler {
  const runSetup = h.runSetup?.bind(h);
  const plannedRuns = h.plannedRuns?.bind(h);
  const preflight = h.preflight?.bind(h);
  return {
    kind: h.kind,
    defaultBatchSize: h.defaultBatchSize,
    chunkSize: h.chunkSize,
    setup: h.setup,
    stages: h.stages,
    prepare: (ctx) => h.prepare(spec, ctx),
    ...(plannedRuns ? { plannedRuns: () => plannedRuns(spec) } : {}),
    ...(preflight ? { preflight: (ctx: PreflightContext) => preflight(spec, ctx) } : {}),
    ...(runSetup ? { runSetup: (stage: string, ctx: HandlerContext) => runSetup(stage, spec, ctx) } : {}),
    runBatch: (stage, runs, ctx) => h.runBatch(stage, spec, runs as RunInput<P>[], ctx),
    finalize: (ctx) => h.finalize(spec, ctx),
  };
}

export interface KindParts<Z extends z.ZodType<{ kind: string }>, P extends object, R extends object> {
  spec: Z;
  handler: KindHandler<z.output<Z>, P, R>;
  /** The kind's compute tasks (modules in kinds/<kind>/tasks/). */
  tasks: Record<string, ComputeTask<never, unknown>>;
  report: KindReport<R>;
}

export interface KindDefinition<Z extends z.ZodType<{ kind: string }>, P extends object, R extends object> extends KindParts<Z, P, R> {
  kind: z.output<Z>['kind'];
  /** The handler bound to a spec of this kind (throws for a spec of another kind). */
  bind(spec: { kind: string }): BoundKindHandler;
  /** The report of a campaign row of this kind. */
  renderReport(ctx: ReportContext, campaign: CampaignRow): Promise<string>;
}

export function defineKind<Z extends z.ZodType<{ kind: string }>, P extends object, R extends object>(parts: KindParts<Z, P, R>): KindDefinition<Z, P, R> {
  const kind = parts.handler.kind;
  const isOwnSpec = (spec: { kind: string }): spec is z.output<Z> => spec.kind === kind;
  return {
    ...parts,
    kind,
    bind(spec) {
      if (!isOwnSpec(spec)) throw new Error(`kind '${kind}' cannot run a '${spec.kind}' spec`);
      return bindHandler(parts.handler, spec);
    },
    // `campaigns.results` is the JSON this kind's finalize wrote (or a part of it, see ReportedCampaign).
    renderReport: (ctx, campaign) => parts.report(ctx, campaign as ReportedCampaign<R>),
  };
}
