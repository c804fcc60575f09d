/**
 * What users read works from their own clone: no absolute path of the machine a page was written
 * on in README, docs or any Markdown page, or in the comments of the examples; every example
 * starts with a `yaml-language-server` line pointing at the committed JSON Schema, and that schema
 * is the current one (regenerate with `npx plume schema > examples/plume-spec.schema.json`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignJsonSchema } from '../kinds/campaign-spec.js';
import { projectRoot } from '../infra/paths.js';

const root = projectRoot();
const MACHINE_PATH = /(^|[\s`'"(=:])\/(work|home|root|tmp)\//;

function markdownFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', '.git', '.plume', 'test-results', 'reports'].includes(e.name) ? [] : markdownFiles(rel);
    return e.name.endsWith('.md') ? [rel] : [];
  });
}

const examples = readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('paths users read', () => {
  it('no Markdown page names an absolute machine path', () => {
    const pages = markdownFiles('.');
    expect(pages).toContain('README.md');
    const hits = pages.flatMap((p) =>
      readFileSync(path.join(root, p), 'utf8')
        .split('\n')
        .flatMap((l, k) => (MACHINE_PATH.test(l) ? [`${p}:${k + 1}: ${l.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('no example comment names an absolute machine path', () => {
    const hits = examples.flatMap((f) =>
      readFileSync(path.join(root, 'examples', f), 'utf8')
        .split('\n')
        .flatMap((l, k) => (l.trimStart().startsWith('#') && MACHINE_PATH.test(l) ? [`${f}:${k + 1}: ${l.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });
});

describe('editor schema', () => {
  it('every example starts with the yaml-language-server schema line', () => {
    for (const f of examples)
      expect(readFileSync(path.join(root, 'examples', f), 'utf8').split('\n')[0], f).toBe('# yaml-language-server: $schema=./plume-spec.schema.json');
  });

  it('the committed schema is the current one (npx plume schema > examples/plume-spec.schema.json)', () => {
    const committed = readFileSync(path.join(root, 'examples', 'plume-spec.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(campaignJsonSchema(), null, 2)}\n`);
  });
});
