/** runParse as a library: the four output files, the manifest, order, atomicity, cross-report findings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runParse, processFile, type FileExecutor, type FileResult, type ParseRun } from '../../src/pipeline/parse.js';
import { createBatchExecutor } from '../../src/batch/executor.js';
import { SECTION_KEYS, TABLE_NAMES } from '../../src/model/types.js';
import { FIXTURES, checkContract, readOutputs, walk, type ParseOutputs } from './helpers.js';
import { makeReport, printed } from '../validate/helpers.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ogi-runparse-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('runParse on the fixture corpus (seed, text reports, saved pages)', () => {
  let run: ParseRun;
  let out: ParseOutputs;
  const inputs = [join(FIXTURES, 'seed'), join(FIXTURES, 'reports'), join(FIXTURES, 'html')];

  beforeAll(async () => {
    run = await runParse(inputs, { out: join(tmp, 'corpus') });
    out = readOutputs(join(tmp, 'corpus'));
  });

  it('writes the four files of the contract, and nothing else', async () => {
    checkContract(out);
    const files = (await readdir(join(tmp, 'corpus'))).sort();
    // Beside them only the hidden run fingerprint (what the outputs were made from, for re-runs).
    expect(files.filter((f) => !f.startsWith('.'))).toEqual(['cells.csv', 'findings.csv', 'manifest.csv', 'reports.jsonl']);
    expect(files.filter((f) => f.startsWith('.'))).toEqual(['.ogi-run.json']);
  });

  it('gives every input file exactly one manifest row, in input order', () => {
    const expected = inputs.flatMap((d) => walk(d));
    expect(out.manifest.map((m) => m.path)).toEqual(expected);
    expect(run.manifest.map((m) => m.path)).toEqual(expected);
    for (const m of out.manifest) {
      expect(['ok', 'partial', 'failed', 'skipped']).toContain(m.status);
      expect(m.message.length, `${m.path} has a message`).toBeGreaterThan(0);
    }
    // The data files beside the reports are not reports and say so.
    const csv = out.manifest.find((m) => m.path.endsWith('reports/manifest.csv'))!;
    expect(csv.status).toBe('skipped');
  });

  it('parses every 2019 and 2021 report of the corpus', () => {
    const byFile = new Map(out.manifest.map((m) => [relative(FIXTURES, m.path), m]));
    for (let n = 103; n <= 134; n++) {
      const m = byFile.get(`reports/${n}.txt`)!;
      expect(['ok', 'partial'], `${n}.txt: ${m.message}`).toContain(m.status);
      expect(Number(m.reports)).toBe(1);
    }
  });

  it('writes one reports.jsonl line per report, with every key of SCHEMA.md', () => {
    const total = out.manifest.reduce((s, m) => s + Number(m.reports), 0);
    expect(out.reports).toHaveLength(total);
    expect(run.summary.reports).toBe(total);
    expect(run.reports.map((r) => r.id)).toEqual(out.reports.map((r) => r.id));
    for (const r of out.reports) {
      for (const key of ['id', 'source', 'title', 'agency', 'level', 'year', 'template', 'sections', 'tables', 'findings']) expect(r).toHaveProperty(key);
      expect(Object.keys(r.sections).sort()).toEqual([...SECTION_KEYS].sort());
      expect(Object.keys(r.tables).sort()).toEqual([...TABLE_NAMES].sort());
    }
    expect(new Set(out.reports.map((r) => r.id)).size).toBe(out.reports.length);
  });

  it('cells.csv is the long form of every table cell; findings.csv every finding', () => {
    const ids = new Set(out.reports.map((r) => r.id));
    let expectedCells = 0;
    for (const r of out.reports) for (const t of TABLE_NAMES) for (const row of Object.values(r.tables[t] ?? {})) expectedCells += Object.keys(row).length;
    expect(out.cells).toHaveLength(expectedCells);
    for (const c of out.cells) {
      expect(ids.has(c.report_id)).toBe(true);
      expect(['printed', 'blank', 'derived', 'inferred', 'ambiguous']).toContain(c.status);
      expect(c.value === '' || Number.isFinite(Number(c.value))).toBe(true);
      if (c.status === 'ambiguous') expect(c.value).toBe('');
    }
    // The 衢州 fee change "减少5项" is a negative number, not a formula-escaped string.
    expect(out.cells.some((c) => c.row === 'art20_8.fees' && c.col === 'change' && c.value === '-5')).toBe(true);
    const findingCount = out.reports.reduce((s, r) => s + r.findings.length, 0);
    expect(out.findings).toHaveLength(findingCount);
    expect(run.findings).toBe(findingCount);
    for (const f of out.findings) expect(ids.has(f.report_id)).toBe(true);
  });

  it('gives the same bytes whatever runs the files: one thread or the worker pool', async () => {
    const executor = createBatchExecutor({ jobs: 2, cache: false });
    await runParse(inputs, { out: join(tmp, 'pooled'), executor });
    const pooled = readOutputs(join(tmp, 'pooled'));
    for (const f of ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv']) expect(pooled.raw[f], f).toBe(out.raw[f]);
  });
});

describe('runParse robustness', () => {
  it('an executor that dies mid-run leaves the earlier outputs untouched and no temp file', async () => {
    const dir = join(tmp, 'interrupted');
    const file = join(FIXTURES, 'reports', '133.txt');
    await runParse([file], { out: dir });
    const before = await readFile(join(dir, 'reports.jsonl'), 'utf8');
    const dying: FileExecutor = async function* (paths, opts) {
      yield await processFile(paths[0], opts);
      throw new Error('worker pool lost');
    };
    await expect(runParse([file, join(FIXTURES, 'reports', '134.txt')], { out: dir, executor: dying })).rejects.toThrow('worker pool lost');
    expect((await readdir(dir)).sort()).toEqual(['cells.csv', 'findings.csv', 'manifest.csv', 'reports.jsonl']);
    expect(await readFile(join(dir, 'reports.jsonl'), 'utf8')).toBe(before);
  });

  it('a file the executor never answers still gets a failed manifest row', async () => {
    const dir = join(tmp, 'lost');
    const a = join(FIXTURES, 'reports', '133.txt');
    const b = join(FIXTURES, 'reports', '134.txt');
    const forgetful: FileExecutor = async function* (paths, opts) {
      yield await processFile(paths[0], opts);
    };
    const run = await runParse([a, b], { out: dir, executor: forgetful });
    expect(run.manifest.map((m) => [m.path, m.status])).toEqual([
      [a, 'ok'],
      [b, 'failed'],
    ]);
  });

  it('adds carried.continuity to the later report in reports.jsonl and findings.csv', async () => {
    const dir = join(tmp, 'continuity');
    const report = (id: string, year: number, over: number, forward: number) => {
      const r = makeReport({ id, year, title: `某县人民政府${year}年政府信息公开工作年度报告`, sections: { ...makeReport().sections, overview: '概述。' } });
      r.tables.applications!.carried_over.total = printed(over);
      r.tables.applications!.carried_forward.total = printed(forward);
      return r;
    };
    const results: FileResult[] = [
      { manifest: { path: 'a.txt', status: 'ok', reports: 1, message: '1 report' }, reports: [report('y2019', 2019, 0, 2)] },
      { manifest: { path: 'b.txt', status: 'ok', reports: 1, message: '1 report' }, reports: [report('y2020', 2020, 6, 2)] },
    ];
    const stub: FileExecutor = async function* () {
      yield* results;
    };
    const run = await runParse(['a.txt', 'b.txt'], { out: dir, executor: stub, keepReports: false });
    expect(run.reports).toEqual([]);
    const o = readOutputs(dir);
    const later = o.reports.find((r) => r.id === 'y2020')!;
    expect(later.findings.map((f) => f.rule)).toContain('carried.continuity');
    expect(o.reports.find((r) => r.id === 'y2019')!.findings.map((f) => f.rule)).not.toContain('carried.continuity');
    const row = o.findings.find((f) => f.rule === 'carried.continuity')!;
    expect(row.report_id).toBe('y2020');
    expect(row.cells).toBe('applications.carried_over.total;y2019:applications.carried_forward.total');
    expect(run.summary.findings.by_rule['carried.continuity']).toBe(1);
  });

  it('a later stage failing on one report marks that file partial and the run goes on', async () => {
    const dir = join(tmp, 'hook');
    const a = join(FIXTURES, 'reports', '133.txt');
    const b = join(FIXTURES, 'reports', '134.txt');
    const seen: string[] = [];
    const run = await runParse([a, b], {
      out: dir,
      onReport: (r) => {
        if (r.source.path === a) throw new Error('segmenter crashed');
        seen.push(r.source.path);
      },
    });
    expect(seen).toEqual([b]);
    expect(run.manifest[0].status).toBe('partial');
    expect(run.manifest[0].message).toContain('segmenter crashed');
    expect(run.manifest[1].status).toBe('ok');
    expect(readOutputs(dir).manifest[0].message).toContain('segmenter crashed');
  });

  it('processFile turns every bad input into a manifest row instead of throwing', async () => {
    const dir = join(tmp, 'bad');
    await rm(dir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    await writeFile(join(dir, 'empty.txt'), '');
    const missing = await processFile(join(dir, 'nope.txt'));
    expect(missing.manifest.status).toBe('failed');
    expect(missing.manifest.message).toContain('ENOENT');
    const empty = await processFile(join(dir, 'empty.txt'));
    expect(empty.manifest).toMatchObject({ status: 'failed', reports: 0 });
    expect(empty.manifest.message).toMatch(/empty/);
  });
});
