/** Workflow entry points registered with every Plume worker. */
export { batchWorkflow } from './batch-workflow.js';
export { campaignWorkflow, pauseUpdate, progressQuery, resumeUpdate } from './campaign-workflow.js';
export { pipelineProgressQuery, pipelineWorkflow } from './pipeline-workflow.js';
