import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli/main.js';
import { parseCsv } from '../../src/io/csv.js';

const REPORT = join(import.meta.dirname, '..', 'fixtures', 'corpus', 'reports', '134.txt');
const SHIPPED = join(import.meta.dirname, '..', '..', 'src', 'data', 'audit-weights.json');
let dir: string;

async function ogi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = { stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), isTTY: false };
  return { code: await main(['node', 'ogi', ...args], io), ...out };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-polish-weights-'));
});

describe('ogi audit --weights FILE', () => {
  it('scores with the given weights: base 77 and no deductions give every report 77', async () => {
    const weights = JSON.parse(readFileSync(SHIPPED, 'utf8')) as { base: number; kinds: Record<string, { weight: number }> };
    weights.base = 77;
    for (const k of Object.values(weights.kinds)) k.weight = 0;
    const file = join(dir, 'weights.json');
    writeFileSync(file, JSON.stringify(weights));
    const out = join(dir, 'out');
    const r = await ogi('audit', REPORT, '--out', out, '--weights', file, '--jobs', '1', '--no-cache', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(join(out, 'audit.csv'), 'utf8'));
    const score = header.indexOf('score');
    expect(score).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Number(row[score])).toBe(77);
  }, 120_000);

  it('a weights file that is not valid is a usage error naming the file (exit 1)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"base": 100, "kinds": {}}');
    const r = await ogi('audit', REPORT, '--out', join(dir, 'bad-out'), '--weights', bad, '--jobs', '1', '--no-cache', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(bad);
  });

  it('--groups with --by is a usage error (exit 1), not a failed run', async () => {
    const groups = join(dir, 'groups.csv');
    writeFileSync(groups, 'agency,group\n平潭综合实验区,A\n');
    const r = await ogi('audit', REPORT, '--out', join(dir, 'both-out'), '--groups', groups, '--by', 'level', '--jobs', '1', '--no-cache', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--groups and --by');
  });

  it('is listed by ogi audit --help and documented in CLI.md and the README audit section', async () => {
    expect((await ogi('audit', '--help')).stdout).toContain('--weights <file>');
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'cli', 'CLI.md'), 'utf8');
    expect(doc).toContain('--weights <file>');
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const audit = readme.slice(readme.indexOf('## Audit for supervisors'), readme.indexOf('## The incremental store'));
    expect(audit).toContain('--weights');
  });
});
