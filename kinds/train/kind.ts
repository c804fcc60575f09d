/** The `train` campaign kind: what its kinds/index.ts entry loads on first use. */
import { defineKind } from '../../engine/kind.js';
import { trainTasks } from './compute-tasks.js';
import { trainHandler } from './handler.js';
import { trainReport } from './report.js';
import { trainSpec } from './spec.js';

export const trainKind = defineKind({ spec: trainSpec, handler: trainHandler, tasks: trainTasks, report: trainReport });
