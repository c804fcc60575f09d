import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../infra/paths.js';

// Needs Debian's `prometheus` package (promtool). CI installs it; see .ci/run.
const dir = path.join(projectRoot(), 'infra', 'prometheus');
const promtool = (...args: string[]): string => execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('infra/prometheus', () => {
  it('the scrape config and its rule files are valid', () => {
    expect(promtool('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: prometheus\.yml is valid/);
  });
  it('recording and alert rules pass promtool check rules', () => {
    const out = promtool('check', 'rules', 'rules/recording.yml', 'rules/alerts.yml');
    expect(out).toMatch(/SUCCESS: 5 rules found/);
    expect(out).toMatch(/SUCCESS: 5 rules found/);
  });
  it('rule unit tests pass (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'tests/rules.test.yml')).toMatch(/SUCCESS/);
  });
});
