/** The `dataset` campaign kind: what its kinds/index.ts entry loads on first use. */
import { defineKind } from '../../engine/kind.js';
import { datasetTasks } from './compute-tasks.js';
import { datasetHandler } from './handler.js';
import { datasetReport } from './report.js';
import { datasetSpec } from './spec.js';

export const datasetKind = defineKind({ spec: datasetSpec, handler: datasetHandler, tasks: datasetTasks, report: datasetReport });
