/** The `sensitivity` campaign kind: what its kinds/index.ts entry loads on first use. */
import { defineKind } from '../../engine/kind.js';
import { sensitivityTasks } from './compute-tasks.js';
import { sensitivityHandler } from './handler.js';
import { sensitivityReport } from './report.js';
import { sensitivitySpec } from './spec.js';

export const sensitivityKind = defineKind({ spec: sensitivitySpec, handler: sensitivityHandler, tasks: sensitivityTasks, report: sensitivityReport });
