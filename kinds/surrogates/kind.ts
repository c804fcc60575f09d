/** The `surrogates` campaign kind: what its kinds/index.ts entry loads on first use. */
import { defineKind } from '../../engine/kind.js';
import { surrogatesTasks } from './compute-tasks.js';
import { surrogatesHandler } from './handler.js';
import { surrogatesReport } from './report.js';
import { surrogatesSpec } from './spec.js';

export const surrogatesKind = defineKind({ spec: surrogatesSpec, handler: surrogatesHandler, tasks: surrogatesTasks, report: surrogatesReport });
