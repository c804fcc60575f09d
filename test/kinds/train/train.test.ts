/**
 * `train` campaigns end to end through Temporal: a tiny bioremediation dataset campaign first, then
 * interpolation / optimal MLP / STAMNet-Upscale x 2 repeats on it. Row counts (models, metrics,
 * predictions), the results table, Welch p-values, the backend of the training threads, and the
 * routing of the ML stage to `cpu` when no GPU worker polls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCampaignSpec } from '../../../kinds/campaign-spec.js';
import { getCampaign } from '../../../db/campaign-store.js';
import { cancelCampaign, launchCampaign, waitForCampaign } from '../../../engine/launcher.js';
import { inFlightWork } from '../../../engine/in-flight-work.js';
import { inFlightText } from '../../../report/progress-text.js';
import type { Stack } from '../../../worker/stack.js';
import { queueName } from '../../../infra/queues.js';
import { closeComputePool } from '../../../compute/pool.js';
import { runPlumeCli } from '../../support/plume-cli.js';
import { openTestStack, useTestEnv, type TestEnv } from '../../support/test-stack.js';

let stack: Stack;
let env: TestEnv;
let datasetId: string;

beforeAll(async () => {
  env = await useTestEnv();
  stack = await openTestStack();
  const ds = parseCampaignSpec({
    kind: 'dataset',
    name: 'tiny-pairs',
    seed: 5,
    source: { type: 'bioremediation', preset: 'tiny', scenarios: 8, variables: ['B', 'ED', 'Cr'], split: { val: 0.125, test: 0.25 } },
    execution: { batchSize: 4 },
  });
  const { id } = await launchCampaign(stack.client, stack.database, ds);
  expect((await waitForCampaign(stack.client, stack.database, id)).status).toBe('completed');
  datasetId = id;
});

afterAll(async () => {
  await stack?.close();
  await closeComputePool();
});

describe('train campaign', () => {
  it('trains archs x repeats on the ML queue (cpu without a GPU worker) and writes models, metrics, predictions and Table 3', async () => {
    const spec = parseCampaignSpec({
      kind: 'train',
      name: 'tiny-train',
      seed: 1,
      dataset: 'tiny-pairs', // by name: the latest completed dataset campaign of that name
      architectures: ['interpolation', 'optimal_mlp', 'stamnet_upscale'],
      variables: ['B'],
      repeats: 2,
      hyperparams: { epochs: 3, lr: 1e-3, batchSize: 2, widthMultipliers: [2, 4, 2] },
      execution: { maxConcurrentBatches: 2 },
    });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect(out.error).toBeUndefined();
    expect(out.status).toBe('completed');

    // Routing: no GPU poller, so the ML stage ran on cpu and the campaign row says why.
    const row = await getCampaign(stack.database, id);
    expect(row?.queue).toBe(queueName('cpu'));
    expect(row?.routing).toMatch(/no GPU worker polls/);
    const runs = await stack.database.query(`select worker, status from runs where campaign_id = $1`, [id]);
    expect(runs.rows).toHaveLength(5); // interpolation once + 2 archs x 2 repeats
    for (const r of runs.rows) {
      expect(r.status).toBe('completed');
      expect(String(r.worker)).toMatch(new RegExp(`:${queueName('cpu')}$`));
    }

    const models = await stack.database.query(
      `select id, arch, repeat, backend, artifact_id, params_count, train_seconds from models where campaign_id = $1 order by id`,
      [id],
    );
    expect(models.rows.map((m) => m.id)).toEqual([
      `${id}:interpolation:B:r0`,
      `${id}:optimal_mlp:B:r0`,
      `${id}:optimal_mlp:B:r1`,
      `${id}:stamnet_upscale:B:r0`,
      `${id}:stamnet_upscale:B:r1`,
    ]);
    for (const m of models.rows) {
      // The training thread initialised its own backend (PLUME_BACKEND or auto -> wasm here).
      expect(['wasm', 'cpu', 'tensorflow']).toContain(m.backend);
      expect(m.artifact_id).toMatch(/^[0-9a-f]{64}$/);
      if (m.arch === 'interpolation') expect(Number(m.params_count)).toBe(0);
      else expect(Number(m.params_count)).toBeGreaterThan(100);
    }
    // Final test metrics: 6 regression metrics + inference time per model on the whole test split.
    const finals = await stack.database.query(
      `select count(*)::int as n from metrics m join models d on d.id = m.owner_id where d.campaign_id = $1 and m.owner_type = 'model' and m.split = 'test' and m.step = -1`,
      [id],
    );
    expect(finals.rows[0].n).toBe(5 * 7);
    // Curves: 3 epochs x (train loss + test loss, val folded into train) x 4 learned models.
    const curves = await stack.database.query(
      `select m.split, count(*)::int as n from metrics m join models d on d.id = m.owner_id where d.campaign_id = $1 and m.name = 'loss' and m.step >= 1 group by m.split order by m.split`,
      [id],
    );
    expect(curves.rows).toEqual([
      { split: 'test', n: 12 },
      { split: 'train', n: 12 },
    ]);
    // Predictions of repeat 0 on the 2 test pairs: truth + 3 architectures each.
    const preds = await stack.database.query(
      `select run_index, variable, model_id, summary from predictions where campaign_id = $1 order by run_index, variable`,
      [id],
    );
    expect(preds.rows).toHaveLength(2 * 4);
    const ds = await stack.database.query(`select split from datasets where id = $1`, [datasetId]);
    const testIdx = (ds.rows[0].split as { test: number[] }).test;
    expect([...new Set(preds.rows.map((p) => Number(p.run_index)))]).toEqual(testIdx);
    for (const p of preds.rows) {
      const s = p.summary as { source: string; meanSeries: number[]; truthArtifactId: string; errorArtifactId?: string };
      expect(s.meanSeries).toHaveLength(4);
      expect(s.truthArtifactId).toMatch(/^[0-9a-f]{64}$/);
      if (p.model_id === null) expect([p.variable, s.source]).toEqual(['B', 'truth']);
      else {
        expect(p.variable).toBe(`B@${s.source}`);
        expect(s.errorArtifactId).toMatch(/^[0-9a-f]{64}$/);
      }
    }

    const results = row!.results as {
      datasetId: string;
      table: Record<string, Record<string, Record<string, { mean: number; std: number; n: number }>>>;
      pValues: Record<string, Record<string, Record<string, number | null>>>;
      backends: string[];
      speedup: { simulate10xMsPerSample: number; architectures: Record<string, { inferenceOnly: number }> };
    };
    expect(results.datasetId).toBe(datasetId);
    expect(Object.keys(results.table.B).sort()).toEqual(['interpolation', 'optimal_mlp', 'stamnet_upscale']);
    expect(results.table.B.interpolation.mse.n).toBe(1);
    expect(results.table.B.optimal_mlp.mse.n).toBe(2);
    expect(results.table.B.stamnet_upscale.r2_whole.n).toBe(2);
    expect(results.table.B.optimal_mlp.mse.std).toBeGreaterThan(0); // two seeds, two different models
    const pairs = results.pValues.B.mse;
    expect(Object.keys(pairs).sort()).toEqual(['interpolation vs optimal_mlp', 'interpolation vs stamnet_upscale', 'optimal_mlp vs stamnet_upscale']);
    for (const p of Object.values(results.pValues.B).flatMap((r) => Object.values(r))) {
      if (p !== null) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    // Each model trains on the faster backend of this worker (native TensorFlow or wasm, by a timed
    // probe); the run row and its output say which and why.
    expect(results.backends.length).toBeGreaterThanOrEqual(1);
    for (const b of results.backends) expect(['tensorflow', 'wasm']).toContain(b);
    const placed = await stack.database.query(`select backend, output from runs where campaign_id = $1 and status = 'completed'`, [id]);
    for (const r of placed.rows) {
      const out = r.output as { backend: string; backendReason: string; arch: string };
      expect(r.backend).toBe(out.backend);
      expect(out.backendReason).toMatch(out.arch === 'interpolation' ? /^active backend$/ : /^probe: /);
    }
    expect(results.speedup.simulate10xMsPerSample).toBeGreaterThan(0);
    expect(results.speedup.architectures['B:optimal_mlp'].inferenceOnly).toBeGreaterThan(0);
  });

  it('keeps the epoch with the lowest validation loss when asked, and refuses to pick it on the test split', async () => {
    const base = { kind: 'train', name: 'tiny-best', seed: 2, dataset: 'tiny-pairs', architectures: ['optimal_mlp'], variables: ['Cr'], repeats: 1 };
    const hyperparams = { epochs: 3, lr: 3e-2, batchSize: 2, widthMultipliers: [2, 4, 2], keepBestEpoch: true, schedule: { kind: 'constant' } };
    expect(() => parseCampaignSpec({ ...base, hyperparams })).toThrow(/foldValidation: keepBestEpoch picks the epoch on the validation split/);
    const spec = parseCampaignSpec({ ...base, hyperparams, foldValidation: false });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect(out.error).toBeUndefined();
    const model = await stack.database.query(`select hyperparams from models where id = $1`, [`${id}:optimal_mlp:Cr:r0`]);
    const curve = await stack.database.query(
      `select step, value from metrics where owner_type = 'model' and owner_id = $1 and name = 'loss' and split = 'val' order by step`,
      [`${id}:optimal_mlp:Cr:r0`],
    );
    expect(curve.rows).toHaveLength(3);
    const losses = curve.rows.map((r) => Number(r.value));
    const argmin = losses.indexOf(Math.min(...losses)) + 1;
    expect(argmin, `val losses ${losses.join(', ')}`).toBeLessThan(3); // at this rate the last epoch is not the best one
    expect((model.rows[0].hyperparams as { bestEpoch: number }).bestEpoch).toBe(argmin);
  });

  it('shows what the running training reports (epoch of epochs, loss) through Temporal, then cancels', async () => {
    const spec = parseCampaignSpec({
      kind: 'train',
      name: 'tiny-train-watch',
      seed: 3,
      dataset: 'tiny-pairs',
      architectures: ['optimal_mlp'],
      variables: ['B'],
      repeats: 1,
      hyperparams: { epochs: 50_000, lr: 1e-3, batchSize: 2, widthMultipliers: [2, 4, 2] },
      // Heartbeat details reach the server at most every 0.8 x this timeout.
      execution: { heartbeatTimeoutSeconds: 2 },
    });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    let line = '';
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && !/epoch \d+\/50,000, .*loss/.test(line)) {
      const work = await inFlightWork(stack.client, stack.database, id);
      line = work?.map((w) => inFlightText(w, id)).find((t) => t.includes('epoch')) ?? line;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(line).toMatch(/^runBatchStage: optimal_mlp:B:r0: epoch \d+\/50,000, (batch \d+\/\d+, )?loss [\d.e-]+, val loss [\d.e-]+, ~.+ left/);
    // The same line under `plume status <id>`, from another process.
    const status = await runPlumeCli(env, ['status', id]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/\n {2}now: runBatchStage: optimal_mlp:B:r0: epoch \d+\/50,000, .*loss/);
    await cancelCampaign(stack.client, stack.database, id);
    expect((await waitForCampaign(stack.client, stack.database, id)).status).toBe('cancelled');
    // Nothing in flight once the workflow has closed.
    expect((await inFlightWork(stack.client, stack.database, id)) ?? []).toEqual([]);
  });

  it('rejects a dataset that does not exist, naming the field', async () => {
    const spec = parseCampaignSpec({ kind: 'train', name: 'bad', dataset: 'no-such-dataset', execution: { scheduleToStartTimeoutSeconds: 10 } });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    expect(out.status).toBe('failed');
    expect((await getCampaign(stack.database, id))?.error).toMatch(/dataset: no dataset 'no-such-dataset'/);
  });
});
