/**
 * Spec of a `pipeline` campaign: a DAG of stage campaigns (dataset -> train -> upscale;
 * dataset -> inversion). A string `${stageId}` anywhere in a stage's spec is replaced by that
 * stage's campaign id (a dataset id, a train campaign id). A stage whose kind, spec and inputs hash
 * to an already finished campaign is reused instead of run again.
 */
import { z } from 'zod';
import { campaignBase } from '../engine/execution-spec.js';

const stageId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'stage ids are lower-case letters, digits, - and _ (starting with a letter)');

const pipelineStage = z
  .object({
    id: stageId,
    after: z.array(stageId).default([]).describe('Stages that must finish first (references ${id} add themselves).'),
    spec: z.record(z.string(), z.unknown()).describe('A campaign spec of any kind but pipeline; name and seed default from the pipeline.'),
  })
  .strict();

export const pipelineSpec = z
  .object({
    kind: z.literal('pipeline'),
    ...campaignBase,
    stages: z.array(pipelineStage).min(1, 'a pipeline needs at least one stage').max(50),
  })
  .strict();

export type PipelineSpec = z.infer<typeof pipelineSpec>;

const REF = /^\$\{([a-z][a-z0-9_-]*)\}$/;

/** Stage ids referenced as `${id}` strings anywhere inside a value. */
function stageReferences(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => stageReferences(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stageReferences(v, out));
  return out;
}

/** Replace `${id}` strings by `ids[id]`. */
export function substituteReferences(value: unknown, ids: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    return m && ids[m[1]] !== undefined ? ids[m[1]] : value;
  }
  if (Array.isArray(value)) return value.map((v) => substituteReferences(v, ids));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteReferences(v, ids)]));
  }
  return value;
}

export interface OrderedStage {
  id: string;
  after: string[];
  spec: Record<string, unknown>;
}

/**
 * Checks the DAG (unique ids, known dependencies, no cycles) and returns the stages in a
 * topological order (stable: spec order among ready stages), with `after` including references and
 * name/seed defaults filled in. Problems are reported as `{ path, message }`.
 */
export function orderStages(spec: PipelineSpec): { stages: OrderedStage[]; issues: { path: string; message: string }[] } {
  const issues: { path: string; message: string }[] = [];
  const ids = new Set<string>();
  spec.stages.forEach((s, i) => {
    if (ids.has(s.id)) issues.push({ path: `stages[${i}].id`, message: `duplicate stage id '${s.id}': give every stage its own id` });
    ids.add(s.id);
    if (s.spec.kind === 'pipeline') issues.push({ path: `stages[${i}].spec.kind`, message: 'pipelines cannot be nested: inline the inner stages' });
  });
  const stages: OrderedStage[] = spec.stages.map((s, i) => {
    const deps = new Set([...s.after, ...stageReferences(s.spec)]);
    for (const d of deps) {
      if (!ids.has(d)) issues.push({ path: `stages[${i}]`, message: `refers to unknown stage '${d}' (known: ${[...ids].join(', ')})` });
      if (d === s.id) issues.push({ path: `stages[${i}]`, message: `stage '${s.id}' refers to itself` });
    }
    return {
      id: s.id,
      after: [...deps].filter((d) => d !== s.id && ids.has(d)),
      spec: { name: `${spec.name}/${s.id}`, seed: spec.seed, ...s.spec },
    };
  });
  if (issues.length) return { stages: [], issues };
  const done = new Set<string>();
  const order: OrderedStage[] = [];
  while (order.length < stages.length) {
    const ready = stages.find((s) => !done.has(s.id) && s.after.every((d) => done.has(d)));
    if (!ready) {
      const left = stages.filter((s) => !done.has(s.id)).map((s) => s.id);
      return { stages: [], issues: [{ path: 'stages', message: `dependency cycle among stages ${left.join(', ')}: remove one of their references` }] };
    }
    done.add(ready.id);
    order.push(ready);
  }
  return { stages: order, issues: [] };
}
