/**
 * The campaign spec: a discriminated union on `kind`, validated with zod. Parsing reports every
 * problem with its path in the spec and a hint on how to fix it; an invalid spec starts nothing
 * and writes nothing. `campaignJsonSchema()` exports a JSON Schema for editors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { SpecError } from '../engine/spec-error.js';
import { orderStages, pipelineSpec, substituteReferences } from '../pipeline/spec.js';
import { KINDS } from './index.js';

/** Every registered kind's spec, and pipelines (a DAG of campaigns of those kinds). */
const campaignSpec = z.discriminatedUnion('kind', [pipelineSpec, ...KINDS.map((k) => k.spec)]);

/** Campaign kinds, in registration order, then `pipeline`. */
const CAMPAIGN_KINDS: readonly string[] = [...KINDS.map((k) => k.kind), 'pipeline'];

export type CampaignSpec = z.infer<typeof campaignSpec>;

export { SpecError };

function pathOf(p: readonly PropertyKey[]): string {
  return p.length === 0
    ? '(top level)'
    : p
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '');
}

function hint(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_union':
    case 'invalid_value':
      return issue.code === 'invalid_value' ? ` (allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')})` : '';
    case 'unrecognized_keys':
      return ' (remove it, or check its spelling against the JSON Schema from `plume schema`)';
    case 'invalid_type':
      return issue.input === undefined ? ' (this field is required: add it)' : '';
    default:
      return '';
  }
}

export function parseCampaignSpec(input: unknown, source = 'spec'): CampaignSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SpecError(`${source}: a campaign spec must be a mapping with a 'kind' field`, []);
  }
  const kind = (input as Record<string, unknown>).kind;
  if (typeof kind !== 'string' || !CAMPAIGN_KINDS.includes(kind)) {
    const msg = `kind: expected one of ${CAMPAIGN_KINDS.join(', ')}, got ${JSON.stringify(kind)} (set 'kind:' to the campaign type)`;
    throw new SpecError(`${source}: invalid campaign spec\n  - ${msg}`, [{ path: 'kind', message: msg }]);
  }
  const res = campaignSpec.safeParse(input, { reportInput: true });
  if (res.success) {
    if (res.data.kind === 'pipeline') checkPipelineStages(res.data, source);
    return res.data;
  }
  const issues = res.error.issues.map((i) => ({ path: pathOf(i.path), message: `${i.message}${hint(i)}` }));
  const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  throw new SpecError(`${source}: invalid campaign spec\n${lines}`, issues);
}

/** Pipeline stages: a valid DAG whose stage specs are valid (references replaced by placeholders). */
function checkPipelineStages(spec: z.infer<typeof pipelineSpec>, source: string): void {
  const { stages, issues } = orderStages(spec);
  if (issues.length === 0) {
    const placeholder = Object.fromEntries(spec.stages.map((s) => [s.id, `stage-${s.id}`]));
    for (const st of stages) {
      const i = spec.stages.findIndex((s) => s.id === st.id);
      try {
        parseCampaignSpec(substituteReferences(st.spec, placeholder), `stages[${i}].spec`);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        if (e.issues.length === 0) issues.push({ path: `stages[${i}].spec`, message: e.message });
        for (const is of e.issues) issues.push({ path: `stages[${i}].spec.${is.path}`, message: is.message });
      }
    }
  }
  if (issues.length > 0) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    throw new SpecError(`${source}: invalid pipeline\n${lines}`, issues);
  }
}

export async function loadCampaignSpec(file: string): Promise<CampaignSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SpecError(`cannot read spec file ${file}: ${(e as Error).message}`, []);
  }
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new SpecError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`, []);
  }
  const spec = parseCampaignSpec(data, file);
  // Relative data paths in a spec file mean "next to the spec", whichever folder a worker runs in.
  if (spec.kind === 'dataset' && spec.source.type === 'pflotran' && !path.isAbsolute(spec.source.dir)) {
    spec.source.dir = path.resolve(path.dirname(path.resolve(file)), spec.source.dir);
  }
  return spec;
}

export function campaignJsonSchema(): unknown {
  return z.toJSONSchema(campaignSpec, { io: 'input', unrepresentable: 'any' });
}
