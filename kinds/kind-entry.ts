/**
 * What kinds/index.ts registers per kind: the light parts (spec schema, headline builder) now, the
 * rest (handler, compute tasks, report) on first use. Each kind builds its own in kinds/<kind>/entry.ts.
 */
import type { z } from 'zod';
import type { KindDefinition } from '../engine/kind.js';
import type { HeadlineBuilder } from '../report/headline.js';

export type KindSpec = z.ZodObject<{ kind: z.ZodLiteral<string> }>;

/** A registered kind: its spec and headline now, its handler, tasks and report on demand. */
export interface KindEntry<Z extends KindSpec = KindSpec> {
  kind: z.output<Z>['kind'];
  spec: Z;
  summary: HeadlineBuilder<never>;
  load(): Promise<Pick<KindDefinition<Z, object, object>, 'kind' | 'bind' | 'renderReport'>>;
}

/** One entry; the compiler checks that the loaded kind reads this spec and that the headline reads its results. */
export function entry<Z extends KindSpec, P extends object, R extends object>(parts: {
  spec: Z;
  summary: HeadlineBuilder<R>;
  load: () => Promise<KindDefinition<Z, P, R>>;
}): KindEntry<Z> {
  return { kind: parts.spec.shape.kind.value, ...parts };
}
