/** The `upscale` campaign kind: what its kinds/index.ts entry loads on first use. */
import { defineKind } from '../../engine/kind.js';
import { upscaleTasks } from './compute-tasks.js';
import { upscaleHandler } from './handler.js';
import { upscaleReport } from './report.js';
import { upscaleSpec } from './spec.js';

export const upscaleKind = defineKind({ spec: upscaleSpec, handler: upscaleHandler, tasks: upscaleTasks, report: upscaleReport });
