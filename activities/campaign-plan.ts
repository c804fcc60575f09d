/** Types shared by campaign activities and workflows (type-only imports from workflows). */

interface StageRef {
  name: string;
  queue: string;
}

export interface CampaignPlan {
  campaignId: string;
  kind: string;
  totalRuns: number;
  batchSize: number;
  /** Explicit run indices (retry of failed runs); null means 0..totalRuns-1. */
  indices: number[] | null;
  setup: StageRef[];
  stages: StageRef[];
  maxConcurrentBatches: number;
  batchesPerExecution: number;
  scheduleToStartTimeoutSeconds: number;
  activityTimeoutSeconds: number;
  heartbeatTimeoutSeconds: number;
  controlQueue: string;
  routing: string;
}

export interface BatchInput {
  campaignId: string;
  kind: string;
  batchIndex: number;
  /** Run indices of this batch. */
  indices: number[];
  stages: StageRef[];
  scheduleToStartTimeoutSeconds: number;
  activityTimeoutSeconds: number;
  heartbeatTimeoutSeconds: number;
}

export interface BatchResult {
  completed: number;
  failed: number;
}

export interface CampaignOutcome {
  campaignId: string;
  status: 'completed' | 'failed' | 'cancelled';
  error?: string;
}

export const NON_RETRYABLE_INPUT = 'InvalidInput';
