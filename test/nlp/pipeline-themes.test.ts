import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runThemes, type ThemesRun } from '../../src/pipeline/themes.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'corpus');
const truth = JSON.parse(readFileSync(join(FIX, 'truth.json'), 'utf8')) as { reports: { file: string; problems: string[]; measures: string[] }[] };
let out: string;
let run: ThemesRun;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'ogi-themes-'));
  const noSection = join(out, 'no-section.txt');
  writeFileSync(
    noSection,
    '某县2020年政府信息公开工作年度报告\n一、总体情况\n2020年，我县扎实推进政务公开。\n二、主动公开政府信息情况\n无。\n六、其他需要报告的事项\n无。\n',
  );
  run = await runThemes([join(FIX, 'reports', '133.txt'), join(FIX, 'reports', '134.txt'), join(FIX, 'seed'), noSection], {
    out: join(out, 'run'),
  });
}, 120_000);

describe('runThemes', () => {
  it('writes the parse files plus statements.jsonl, statements.csv, themes.csv, topics.csv', () => {
    for (const f of ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv', 'statements.jsonl', 'statements.csv', 'themes.csv', 'topics.csv'])
      expect(readFileSync(join(out, 'run', f)).length).toBeGreaterThan(0);
    expect(run.summary.command).toBe('themes');
  });

  it('133/134 statements equal truth.json (punctuation NFKC)', () => {
    for (const t of truth.reports) {
      const rep = run.reports.find((r) => r.source.path.endsWith(t.file))!;
      const sts = run.statements.filter((s) => s.report_id === rep.id);
      const n = (xs: string[]) => xs.map((x) => x.normalize('NFKC'));
      expect(n(sts.filter((s) => s.kind === 'problem').map((s) => s.text))).toEqual(n(t.problems));
      expect(n(sts.filter((s) => s.kind === 'measure').map((s) => s.text))).toEqual(n(t.measures));
    }
  });

  it('statements.jsonl follows SCHEMA.md', () => {
    const lines = readFileSync(join(out, 'run', 'statements.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBe(run.statements.length);
    const first = JSON.parse(lines[0]);
    for (const k of ['report_id', 'kind', 'index', 'text', 'tokens', 'themes', 'boilerplate']) expect(first).toHaveProperty(k);
    expect(first.themes[0]).toEqual({ id: expect.any(String), score: expect.any(Number) });
  });

  it('CSV files start with a UTF-8 BOM; themes.csv has one row per theme with counts and shares', () => {
    const csv = readFileSync(join(out, 'run', 'themes.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).trim().split('\r\n');
    expect(rows[0]).toBe('id,name,statements,reports,share,problems,measures,example');
    expect(rows).toHaveLength(1 + 17);
    const interp = rows.find((r) => r.startsWith('interpretation,'))!.split(',');
    expect(Number(interp[2])).toBe(run.statements.filter((s) => s.themes.some((t) => t.id === 'interpretation')).length);
    expect(Number(interp[4])).toBeCloseTo(Number(interp[2]) / run.statements.length, 3);
    expect(readFileSync(join(out, 'run', 'statements.csv'), 'utf8').charCodeAt(0)).toBe(0xfeff);
  });

  it('a report without section 五 gives no statements and no error', () => {
    const rep = run.reports.find((r) => r.source.path.endsWith('no-section.txt'));
    expect(rep).toBeDefined();
    expect(run.statements.filter((s) => s.report_id === rep!.id)).toEqual([]);
  });

  it('a bad --taxonomy file fails before parsing, naming line and field', async () => {
    const bad = join(out, 'bad-taxonomy.json');
    writeFileSync(bad, '{"themes": [\n{"id": "x", "name": "X"}\n]}');
    await expect(runThemes([join(FIX, 'reports', '134.txt')], { out: join(out, 'bad'), taxonomy: bad })).rejects.toThrow(/:2: field "themes\[0\]\.phrases"/);
  });
});
