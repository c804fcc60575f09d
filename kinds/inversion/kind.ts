/** The `inversion` campaign kind: what its kinds/index.ts entry loads on first use. */
import { defineKind } from '../../engine/kind.js';
import { inversionTasks } from './compute-tasks.js';
import { inversionHandler } from './handler.js';
import { inversionReport } from './report.js';
import { inversionSpec } from './spec.js';

export const inversionKind = defineKind({ spec: inversionSpec, handler: inversionHandler, tasks: inversionTasks, report: inversionReport });
