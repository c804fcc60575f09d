/**
 * The line `plume status` and the dashboard show for an in-flight activity, from the heartbeat
 * shapes the kinds really send (compute/progress.ts merges a task's messages field by field).
 */
import { describe, expect, it } from 'vitest';
import { describeProgress, inFlightText } from '../../report/progress-text.js';
import type { InFlightWork } from '../../engine/in-flight-work.js';

describe('describeProgress', () => {
  it('renders a training heartbeat: model without the campaign prefix, epoch of epochs, losses, ETA', () => {
    const details = {
      modelId: 'upscaling-medium-aa:mlp_eca:B:r0',
      progress: { kind: 'batch', epoch: 31, epochs: 100, batch: 8, batches: 32, loss: 0.0153434, valLoss: 0.011768, etaSeconds: 209.9 },
    };
    expect(describeProgress(details, 'upscaling-medium-aa')).toBe('mlp_eca:B:r0: epoch 31/100, batch 8/32, loss 0.01534, val loss 0.01177, ~3.5 min left');
  });

  it('renders surrogate, inversion, MSVR and dataset heartbeats with their own counters', () => {
    expect(describeProgress({ step: 'surrogate', progress: { step: 'train', epoch: 146, epochs: 300, loss: 0.0519, etaSeconds: 40 } })).toBe(
      'surrogate train: epoch 146/300, loss 0.0519, ~40 s left',
    );
    expect(describeProgress({ step: 'invert', runIndex: 12, progress: { runIndex: 12, method: 'GA', iteration: 40, best: 1.2e-4, calls: 2001 } })).toBe(
      'invert run 12 GA: iteration 40, best J 1.200e-4, 2,001 calls',
    );
    expect(describeProgress({ step: 'surrogate', progress: { step: 'msvr grid search', n: 2000, fit: 3, fits: 19 } })).toBe(
      'surrogate msvr grid search: fit 3/19, 2,000 samples',
    );
    expect(describeProgress({ step: 'data', done: 120, of: 2500 })).toBe('data: 120/2,500');
  });

  it('says so when nothing was reported, and keeps only the labels of unknown fields', () => {
    expect(describeProgress(null)).toBe('no progress reported yet');
    expect(describeProgress({ stage: 'setup', position: 3, somethingNew: [1, 2] })).toBe('setup');
    expect(describeProgress({ whatever: true })).toBe('working');
  });
});

describe('inFlightText', () => {
  const base: InFlightWork = { activity: 'runBatchStage', state: 'started', attempt: 1, startedAt: null, lastHeartbeatAt: null, details: null };
  const now = Date.parse('2026-12-03T12:00:30Z');

  it('names the activity, the heartbeat age and a retry attempt', () => {
    const w = { ...base, attempt: 2, lastHeartbeatAt: '2026-12-03T12:00:18Z', details: { step: 'data', done: 3, of: 8 } };
    expect(inFlightText(w, 'c', now)).toBe('runBatchStage: data: 3/8 (attempt 2, heartbeat 12 s ago)');
  });

  it('says a scheduled activity is waiting for a worker', () => {
    expect(inFlightText({ ...base, state: 'scheduled' }, 'c', now)).toBe('runBatchStage: waiting for a worker');
  });
});
