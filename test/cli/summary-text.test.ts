/**
 * The human summary `plume run`/`status` print: each kind's headline (kinds/<kind>/summary.ts) as
 * text, at most 25 lines, anything cut announced; `plume list` with a header and nested stages.
 */
import { describe, expect, it } from 'vitest';
import { campaignListText, type ListedCampaign } from '../../cli/campaign-list.js';
import { headlineText } from '../../cli/headline-text.js';
import { formatEta, ProgressRate } from '../../cli/progress-rate.js';
import { kindHeadline } from '../../kinds/index.js';
import type { Headline } from '../../report/headline.js';

const sobol = {
  model: 'ishigami',
  parameters: ['x1', 'x2', 'x3'],
  evaluations: 10000,
  bootstrap: { resamples: 100, confidence: 0.95 },
  indices: {
    S1: { x1: 0.314, x2: 0.442, x3: 0 },
    ST: { x1: 0.558, x2: 0.442, x3: 0.244 },
    S1_conf: { x1: 0.05, x2: 0.05, x3: 0.05 },
    ST_conf: { x1: 0.06, x2: 0.03, x3: 0.02 },
  },
};

describe('headline text', () => {
  it('prints the Sobol table of a sensitivity campaign', () => {
    const lines = headlineText(kindHeadline({ kind: 'sensitivity', results: sobol, spec: {} }), { used: 2, maxLines: 25, campaignId: 'c' });
    expect(lines.some((l) => /x1\s+0\.314\s+0\.05\s+0\.558/.test(l))).toBe(true);
    expect(lines.find((l) => l.includes('x3'))).toMatch(/0\.244/);
  });

  it('summarises dataset results in a few fact lines, not a JSON dump', () => {
    const res = {
      datasetId: 'ds1',
      source: 'bioremediation',
      size: 48,
      split: { train: 32, val: 8, test: 8 },
      shapeX: [11, 10, 20],
      shapeY: [11, 10, 200],
      variables: ['B', 'C'],
      stretchOverPredictsBiomass: { scenarios: 40, of: 48 },
      maxMassBalanceError: 1e-9,
    };
    const lines = headlineText(kindHeadline({ kind: 'dataset', results: res, spec: {} }), { used: 2, maxLines: 25, campaignId: 'c' });
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(lines.join('\n')).toMatch(/over-predicts mean biomass 40 of 48 scenarios/);
    expect(lines.join('\n')).not.toMatch(/[{}]/);
  });

  it('points a running train or surrogates campaign, whose summary has no table yet, to the report of what has finished', () => {
    for (const kind of ['train', 'surrogates']) {
      const lines = headlineText(kindHeadline({ kind, results: null, spec: {} }), { used: 2, maxLines: 25, campaignId: 'c' });
      expect(lines.join('\n')).toMatch(/until the campaign finishes; `plume report <id>` shows the (trainings finished|models scored) so far/);
    }
  });

  it('never exceeds the line budget and says what it left out', () => {
    const big: Headline = {
      facts: [{ label: 'a', value: '1' }],
      notes: [],
      tables: [{ id: 't', title: 'many', headers: ['k', 'v'], rows: Array.from({ length: 60 }, (_, k) => [`r${k}`, String(k)]) }],
    };
    const lines = headlineText(big, { used: 3, maxLines: 25, campaignId: 'abc' });
    expect(lines.length).toBe(22);
    expect(lines.at(-1)).toMatch(/more lines: `plume report abc`/);
  });

  it('lists pipeline stages with their own facts, dropping stage tables (announced) when they do not fit', () => {
    const stage = kindHeadline({ kind: 'sensitivity', results: sobol, spec: {} });
    const h: Headline = {
      facts: [{ label: 'stages', value: '3/3 completed' }],
      tables: [],
      notes: [],
      stages: [1, 2, 3, 4, 5].map((k) => ({
        label: `stage ${k}/5 sensitivity "s${k}"`,
        campaignId: `s${k}`,
        kind: 'sensitivity',
        status: 'completed',
        headline: stage,
      })),
    };
    const lines = headlineText(h, { used: 3, maxLines: 25, campaignId: 'p' });
    expect(lines.length).toBeLessThanOrEqual(22);
    expect(lines.filter((l) => /stage \d\/5 sensitivity/.test(l))).toHaveLength(5);
    expect(lines.at(-1)).toMatch(/stage tables: \d+ more lines in `plume report p`/);
  });
});

describe('plume list text', () => {
  it('has a header and a name column, and nests pipeline stages', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const rows: ListedCampaign[] = [
      { id: 'p1', kind: 'pipeline', name: 'quickstart', status: 'completed', total: 3, completed: 3, failed: 0, created: at, parentId: null },
      { id: 'x1', kind: 'sensitivity', name: 'ishigami', status: 'failed', total: 10, completed: 8, failed: 2, created: at, parentId: null },
      { id: 'p1-data', kind: 'dataset', name: 'data', status: 'completed', total: 48, completed: 48, failed: 0, created: at, parentId: 'p1' },
      { id: 'p1-model', kind: 'train', name: 'model', status: 'completed', total: 2, completed: 2, failed: 0, created: at, parentId: 'p1' },
    ];
    const lines = campaignListText(rows).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+NAME\s+STATUS\s+RUNS\s+FAILED\s+CREATED$/);
    expect(lines[1]).toMatch(/^p1\s+pipeline\s+quickstart\s+completed/);
    expect(lines[2]).toMatch(/^├ p1-data\s+1\/2 dataset\s+data/);
    expect(lines[3]).toMatch(/^└ p1-model\s+2\/2 train/);
    expect(lines[4]).toMatch(/^x1\s+sensitivity\s+ishigami\s+failed\s+8\/10\s+2/);
  });
});

describe('progress rate', () => {
  it('counts only runs finished since the watch began, and has no ETA until it can measure one', () => {
    let now = 0;
    const rate = new ProgressRate(() => now);
    expect(rate.observe(5000)).toBeNull(); // 5000 runs done before the watch: not a rate
    now = 2000;
    expect(rate.observe(5010)).toBeCloseTo(5);
    expect(formatEta(100, 5)).toBe('20s');
    expect(formatEta(100, null)).toBe('–');
    expect(formatEta(100, 0)).toBe('–');
    expect(formatEta(7200, 1)).toBe('2h00m');
  });
});
