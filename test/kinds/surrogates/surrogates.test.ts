/**
 * A surrogate-comparison campaign through Temporal on the real stack: a tiny case-1 dataset
 * generated inline, FC-DNN / ResNet / MSVR at two training sizes x two repeats (a few epochs),
 * every model scored on the same test runs. Checks the fan-out (one run per arch x size x repeat),
 * the `models` and `metrics` rows, the summary table and ranking, and the report's figures.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRuns, getCampaign } from '../../../db/campaign-store.js';
import { launchCampaign, waitForCampaign } from '../../../engine/launcher.js';
import { parseCampaignSpec, SpecError } from '../../../kinds/campaign-spec.js';
import { writeCampaignReport } from '../../../kinds/index.js';
import { cellSeed, trainingRows } from '../../../kinds/surrogates/handler.js';
import type { SurrogatesResults } from '../../../kinds/surrogates/results.js';
import { resolveTraining } from '../../../kinds/surrogates/spec.js';
import type { Stack } from '../../../worker/stack.js';
import { expectFigures, tableRow } from '../../support/report-fixture.js';
import { openTestStack, useTestEnv } from '../../support/test-stack.js';

const ARCHS = ['resnet', 'fcdnn', 'msvr'] as const;
const SIZES = [12, 24];
const REPEATS = 2;
const TEST = 6;

describe('surrogates spec and training rows', () => {
  it('rejects sizes beyond the inline pool and duplicate architectures, naming the fields', () => {
    const base = { kind: 'surrogates', name: 'bad', case: 'case1', dataset: { train: 20, test: 5 } };
    expect(() => parseCampaignSpec({ ...base, trainSizes: [10, 30] })).toThrow(SpecError);
    expect(() => parseCampaignSpec({ ...base, trainSizes: [10, 30] })).toThrow(/trainSizes\[1\]: 30 exceeds the training pool \(dataset.train = 20\)/);
    expect(() => parseCampaignSpec({ ...base, trainSizes: [10], architectures: ['msvr', 'msvr'] })).toThrow(/architectures: architectures must be distinct/);
    expect(() => parseCampaignSpec({ ...base, trainSizes: [10], input: 'field' })).toThrow(/input: case 1 has no field input/);
  });

  it('merges per-architecture training settings over the shared ones', () => {
    const spec = parseCampaignSpec({
      kind: 'surrogates',
      name: 's',
      case: 'case1',
      dataset: 'ds',
      training: { epochs: 7, options: { units: 8 } },
      perArch: {
        fcdnn: { learningRate: 0.01, options: { hiddenLayers: 1 } },
        lenet: { schedule: { kind: 'cosine_warm_restarts', t0: 7 } },
      },
    });
    if (spec.kind !== 'surrogates') throw new Error('not a surrogates spec');
    expect(resolveTraining(spec, 'lenet')).toEqual({ epochs: 7, schedule: { kind: 'cosine_warm_restarts', t0: 7 }, options: { units: 8 } });
    expect(() => parseCampaignSpec({ kind: 'surrogates', name: 's', case: 'case1', dataset: 'ds', training: { schedule: { kind: 'cosine' } } })).toThrow(
      /training\.schedule\.kind/,
    );
    expect(spec.trainSizes).toEqual([200, 500, 1000, 2000]);
    expect(spec.architectures).toEqual(['fcdnn', 'lenet', 'resnet', 'msvr']);
    expect(resolveTraining(spec, 'fcdnn')).toEqual({ epochs: 7, learningRate: 0.01, options: { units: 8, hiddenLayers: 1 } });
    expect(resolveTraining(spec, 'resnet')).toEqual({ epochs: 7, options: { units: 8 } });
  });

  it('draws distinct, reproducible training rows per (size, repeat); nested takes the first n', () => {
    const a = trainingRows('random', 3, 100, 20, 0);
    expect(new Set(a).size).toBe(20);
    expect(a.every((r) => r >= 0 && r < 100)).toBe(true);
    expect(trainingRows('random', 3, 100, 20, 0)).toEqual(a);
    expect(trainingRows('random', 3, 100, 20, 1)).not.toEqual(a);
    expect(trainingRows('nested', 3, 100, 5, 1)).toEqual([0, 1, 2, 3, 4]);
    expect(trainingRows('random', 3, 20, 20, 0)).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(() => trainingRows('random', 3, 10, 20, 0)).toThrow(/20 exceeds the dataset's 10 training samples/);
    expect(cellSeed(3, 20, 0)).toBe(cellSeed(3, 20, 0));
    expect(cellSeed(3, 20, 0)).not.toBe(cellSeed(3, 20, 1));
  });
});

describe('surrogates campaign (case 1, tiny)', () => {
  let stack: Stack;

  beforeAll(async () => {
    await useTestEnv();
    stack = await openTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('trains one surrogate per arch x size x repeat, scores all on the same test runs, reports Figs. 5-6', async () => {
    const spec = parseCampaignSpec({
      kind: 'surrogates',
      name: 'surrogates-tiny',
      seed: 4,
      case: 'case1',
      dataset: { train: Math.max(...SIZES), test: TEST },
      architectures: [...ARCHS],
      trainSizes: SIZES,
      repeats: REPEATS,
      training: { epochs: 3, batchSize: 6, learningRate: 3e-3 },
      perArch: { fcdnn: { options: { hiddenLayers: 1, units: 16 } }, resnet: { options: { baseFilters: 2, frontEndShape: [8, 8] } } },
      msvr: { C: [10], sigmaScale: [1], epsilon: [0] },
      execution: { heartbeatTimeoutSeconds: 30 },
    });
    const { id } = await launchCampaign(stack.client, stack.database, spec);
    const out = await waitForCampaign(stack.client, stack.database, id);
    const row = await getCampaign(stack.database, id);
    expect(row?.error ?? null).toBeNull();
    expect(out.status).toBe('completed');
    const total = ARCHS.length * SIZES.length * REPEATS;
    expect(await countRuns(stack.database, id)).toMatchObject({ total, completed: total, failed: 0 });

    // Runs: repeat, then size (largest first), then architecture.
    const runs = await stack.database.query('select run_index, params from runs where campaign_id = $1 order by run_index', [id]);
    expect(runs.rows.slice(0, ARCHS.length).map((r) => [(r.params as { arch: string }).arch, (r.params as { trainSize: number }).trainSize])).toEqual(
      ARCHS.map((a) => [a, 24]),
    );

    const models = await stack.database.query(
      'select id, arch, repeat, hyperparams, artifact_id, params_count from models where campaign_id = $1 order by id',
      [id],
    );
    expect(models.rows.length).toBe(total);
    for (const m of models.rows) {
      const hp = m.hyperparams as { trainSize: number; datasetId: string };
      expect(String(m.id)).toBe(`${id}:${String(m.arch)}:n${hp.trainSize}:r${String(m.repeat)}`);
      expect(SIZES).toContain(hp.trainSize);
      expect(hp.datasetId).toBe(`${id}-data`);
      expect(m.artifact_id).toBeTruthy();
      expect(Number(m.params_count)).toBeGreaterThan(0);
    }
    const met = await stack.database.query(
      `select split, name, count(*)::int as n from metrics where owner_type = 'model' and owner_id like $1 and step = -1 group by split, name order by split, name`,
      [`${id}:%`],
    );
    expect(met.rows.map((r) => [r.split, r.name, r.n])).toEqual([
      ['all', 'r2', total],
      ['all', 'rmse', total],
      ['conc', 'r2', total],
      ['conc', 'rmse', total],
      ['heads', 'r2', total],
      ['heads', 'rmse', total],
    ]);

    const res = row?.results as SurrogatesResults;
    expect(res.testSamples).toBe(TEST);
    expect(res.poolSize).toBe(24);
    expect(res.models).toHaveLength(total);
    expect(res.observationScaling).toEqual({ heads: 'component', concentrations: 'component' });
    for (const a of ARCHS) {
      for (const n of SIZES) {
        const t = res.table[a][String(n)];
        expect(t['all.rmse'].n).toBe(REPEATS);
        expect(t['all.rmse'].mean).toBeGreaterThan(0);
        expect(t['all.r2'].mean).toBeLessThanOrEqual(1);
      }
    }
    for (const n of SIZES) expect([...res.ranking[String(n)]].sort()).toEqual([...ARCHS].sort());
    // At a (size, repeat) every architecture saw the same training rows and seed; repeats differ.
    const seeds = new Map<string, number>();
    for (const m of models.rows) {
      const hp = m.hyperparams as { trainSize: number; seed: number };
      const key = `${hp.trainSize}:${String(m.repeat)}`;
      if (seeds.has(key)) expect(hp.seed).toBe(seeds.get(key));
      seeds.set(key, hp.seed);
    }
    expect(new Set(seeds.values()).size).toBe(SIZES.length * REPEATS);

    const report = await writeCampaignReport(stack.database, stack.store, id, mkdtempSync(path.join(os.tmpdir(), 'plume-surrogates-report-')));
    const md = readFileSync(report.markdownPath, 'utf8');
    expect(md).toContain('(by mean RMSE of all outputs)');
    expect(md).toContain('| surrogate | RMSE heads | RMSE conc. | RMSE all | R² heads | R² conc. | R² all |');
    expect(tableRow(md, 'ResNet')).toHaveLength(SIZES.length);
    const figs = expectFigures(report.markdownPath, report.figures);
    expect([...figs.keys()]).toEqual(
      expect.arrayContaining(['rmse-all-vs-size', 'r2-all-vs-size', 'rmse-heads-vs-size', 'rmse-conc-vs-size', 'rmse-all-spread', 'r2-all-spread']),
    );
  });
});
