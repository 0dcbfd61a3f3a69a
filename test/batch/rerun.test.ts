/**
 * Unchanged re-run: runParse leaves --out alone when its run fingerprint says the outputs were made from
 * the same inputs, parser version and options and are untouched; anything else rewrites them, and the
 * outputs are byte-identical to a full run either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, copyFile, mkdir, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runParse, PARSE_OUTPUTS, type ParseRun } from '../../src/pipeline/parse.js';
import { createBatchExecutor } from '../../src/batch/executor.js';
import { NOT_READ_TOO_LARGE, RUN_FINGERPRINT_FILE, identifyInput, isTransientFailure } from '../../src/batch/run-fingerprint.js';
import { FIXTURES, tempCorpus, withCacheVersion } from '../cli/helpers.js';

let tmp: string;
let corpus: string;
const NAMES = ['103.txt', '104.txt', '110.txt', '120.txt', '133.txt'];

let remove: () => Promise<void>;
beforeAll(async () => {
  ({ tmp, corpus, remove } = await tempCorpus('ogi-rerun-', NAMES));
});
afterAll(() => remove());

async function outputs(dir: string): Promise<Record<string, string>> {
  const o: Record<string, string> = {};
  for (const f of PARSE_OUTPUTS) o[f] = await readFile(join(dir, f), 'utf8');
  return o;
}
async function mtimes(dir: string): Promise<number[]> {
  return Promise.all(PARSE_OUTPUTS.map(async (f) => (await stat(join(dir, f))).mtimeMs));
}
/** A fresh full run into a new folder: the reference bytes. */
async function reference(name: string): Promise<Record<string, string>> {
  const dir = join(tmp, `ref-${name}`);
  await runParse([corpus], { out: dir, keepReports: false });
  return outputs(dir);
}

describe('unchanged re-run', () => {
  let out: string;
  let first: ParseRun;
  beforeAll(async () => {
    out = join(tmp, 'out');
    first = await runParse([corpus], { out, keepReports: false });
  });

  it('records a fingerprint of the run beside the outputs', async () => {
    expect(first.summary.up_to_date).toBeUndefined();
    const fp = JSON.parse(await readFile(join(out, RUN_FINGERPRINT_FILE), 'utf8')) as { inputs: [string, number, number, string][]; outputs: Record<string, unknown> };
    expect(fp.inputs.map((i) => i[0])).toEqual(NAMES.map((n) => join(corpus, n)));
    for (const i of fp.inputs) expect(i[3]).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(fp.outputs).sort()).toEqual([...PARSE_OUTPUTS].sort());
  });

  it('rewrites nothing, says so, and reports the same figures', async () => {
    const before = await outputs(out);
    const times = await mtimes(out);
    const again = await runParse([corpus], { out, keepReports: false });
    expect(again.summary.up_to_date).toBe(true);
    expect(await mtimes(out)).toEqual(times);
    expect(await outputs(out)).toEqual(before);
    expect(again.summary.status).toEqual(first.summary.status);
    expect(again.summary.reports).toBe(first.summary.reports);
    expect(again.summary.findings).toEqual(first.summary.findings);
    expect(again.manifest).toEqual(first.manifest);
  });

  it('keeps the outputs byte-identical to a full run into an empty folder', async () => {
    expect(await outputs(out)).toEqual(await reference('same'));
  });

  it('hands back the records to a caller that keeps them', async () => {
    const kept = await runParse([corpus], { out });
    expect(kept.summary.up_to_date).toBe(true);
    const lines = (await readFile(join(out, 'reports.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(kept.reports.map((r) => JSON.stringify(r))).toEqual(lines);
  });

  it('a touched but unchanged input still counts as unchanged', async () => {
    const file = join(corpus, NAMES[0]);
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    const again = await runParse([corpus], { out, keepReports: false });
    expect(again.summary.up_to_date).toBe(true);
  });

  it('works through the batch executor and its store, which hands over its hashes', async () => {
    const dir = join(tmp, 'batch');
    const run1 = await runParse([corpus], { out: dir, keepReports: false, executor: createBatchExecutor({ out: dir, jobs: 1 }) });
    expect(run1.summary.up_to_date).toBeUndefined();
    const executor = createBatchExecutor({ out: dir, jobs: 1 });
    const run2 = await runParse([corpus], { out: dir, keepReports: false, executor });
    expect(run2.summary.up_to_date).toBe(true);
    expect(executor.stats.files).toBe(0); // not even the store was asked
    expect(await outputs(dir)).toEqual(await outputs(out));
  });
});

describe('what makes a re-run rewrite', () => {
  it('--no-cache, other limits, an edited or removed output, a grown or changed corpus', async () => {
    const out = join(tmp, 'changes');
    await runParse([corpus], { out, keepReports: false });
    const rerun = async (o: Partial<Parameters<typeof runParse>[1]> = {}, inputs = [corpus]) => (await runParse(inputs, { out, keepReports: false, ...o })).summary.up_to_date === true;

    expect(await rerun({ cache: false })).toBe(false);
    await expect(readFile(join(out, RUN_FINGERPRINT_FILE))).rejects.toThrow(); // --no-cache leaves none
    expect(await rerun()).toBe(false);
    expect(await rerun()).toBe(true);
    expect(await rerun({ maxBytes: 1024 * 1024 })).toBe(false);
    expect(await rerun()).toBe(false); // the fingerprint now is that of the 1 MB run
    expect(await rerun()).toBe(true);

    // An output edited by hand (size changes) or removed.
    await appendFile(join(out, 'cells.csv'), 'x\n');
    expect(await rerun()).toBe(false);
    expect(await rerun()).toBe(true);
    await rm(join(out, 'findings.csv'));
    expect(await rerun()).toBe(false);
    expect((await readdir(out)).filter((f) => !f.startsWith('.')).sort()).toEqual([...PARSE_OUTPUTS].sort());

    // Fewer inputs, or another order.
    expect(await rerun({}, [join(corpus, NAMES[0])])).toBe(false);
    expect(await rerun()).toBe(false);
    expect(await rerun({}, [...NAMES].reverse().map((n) => join(corpus, n)))).toBe(false);
    expect(await rerun()).toBe(false);
    expect(await rerun()).toBe(true);

    // A grown corpus.
    await copyFile(join(FIXTURES, 'reports', '134.txt'), join(corpus, '134.txt'));
    try {
      const grown = await runParse([corpus], { out, keepReports: false });
      expect(grown.summary.up_to_date).toBeUndefined();
      expect(grown.manifest.map((m) => m.path)).toContain(join(corpus, '134.txt'));
      expect(await outputs(out)).toEqual(await reference('grown'));
    } finally {
      await rm(join(corpus, '134.txt'));
    }
    expect(await rerun()).toBe(false);

    // Same size and mtime kept, bytes changed: the mtime is trusted (as the store does), so change
    // the size too — one extra line in a report.
    const file = join(corpus, NAMES[1]);
    const original = await readFile(file, 'utf8');
    try {
      await writeFile(file, original.replace('一、', '一、 '));
      expect(await rerun()).toBe(false);
      expect(await outputs(out)).toEqual(await reference('edited'));
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('what else makes a full parse', () => {
  it('a corpusFindings hook (it must be asked, and its findings written), and another code version', async () => {
    const out = join(tmp, 'hooks');
    await runParse([corpus], { out, keepReports: false });
    expect((await runParse([corpus], { out, keepReports: false })).summary.up_to_date).toBe(true);

    let asked = 0;
    const first = await runParse([corpus], { out, keepReports: false });
    const reportId = (await readFile(join(out, 'reports.jsonl'), 'utf8')).split('\n')[0].match(/"id":"([^"]+)"/)![1];
    const hooked = await runParse([corpus], {
      out,
      keepReports: false,
      corpusFindings: () => {
        asked++;
        return [{ report_id: reportId, rule: 'copy.section', severity: 'warning', message: 'hook finding', cells: [] }];
      },
    });
    expect(first.summary.up_to_date).toBe(true);
    expect(hooked.summary.up_to_date).toBeUndefined();
    expect(asked).toBe(1);
    expect(await readFile(join(out, 'findings.csv'), 'utf8')).toContain('hook finding');

    // The writers (src/io), the workers' rendering and the dependencies shape the bytes too: the key
    // holds the whole code's version (OGI_CACHE_VERSION stands in for an edit of it).
    await withCacheVersion(async (pin) => {
      pin('parse-code-a');
      await runParse([corpus], { out, keepReports: false });
      expect((await runParse([corpus], { out, keepReports: false })).summary.up_to_date).toBe(true);
      pin('parse-code-b');
      expect((await runParse([corpus], { out, keepReports: false })).summary.up_to_date).toBeUndefined();
    });
  });
});

describe('a file over the size limit', () => {
  it('is identified by size and mtime without being read; a touch or a new size means a full run', async () => {
    const dir = join(tmp, 'big-in');
    await mkdir(dir);
    await copyFile(join(corpus, NAMES[0]), join(dir, NAMES[0]));
    const big = join(dir, 'big.txt');
    await writeFile(big, 'x'.repeat(300_000));
    const out = join(tmp, 'big-out');
    const run = (o: Partial<Parameters<typeof runParse>[1]> = {}) => runParse([dir], { out, keepReports: false, maxBytes: 200_000, ...o });

    const first = await run();
    expect(first.manifest.find((m) => m.path === big)).toMatchObject({ status: 'failed' });
    expect(first.manifest.find((m) => m.path === big)?.message).toMatch(/too large/);
    const fp = JSON.parse(await readFile(join(out, RUN_FINGERPRINT_FILE), 'utf8')) as { inputs: [string, number, number, string][] };
    const recorded = fp.inputs.find((i) => i[0] === big)!;
    expect(recorded.slice(1)).toEqual([300_000, (await stat(big)).mtimeMs, NOT_READ_TOO_LARGE]);
    expect(await identifyInput(big, 200_000)).toMatchObject({ size: 300_000, hash: NOT_READ_TOO_LARGE });
    expect((await identifyInput(big))?.hash).toMatch(/^[0-9a-f]{64}$/); // within the limit: hashed

    expect((await run()).summary.up_to_date).toBe(true);
    // Touched: with no hash to compare, a full run, which records the new mtime.
    const later = new Date(Date.now() + 5000);
    await utimes(big, later, later);
    expect((await run()).summary.up_to_date).toBeUndefined();
    expect((await run()).summary.up_to_date).toBe(true);
    // Another size: the manifest message names it, so a full run.
    await writeFile(big, 'x'.repeat(400_000));
    const grown = await run();
    expect(grown.summary.up_to_date).toBeUndefined();
    expect(grown.manifest.find((m) => m.path === big)?.message).toMatch(/391 KB/);
  });
});

describe('isTransientFailure', () => {
  it('tells a failure worth retrying from one that will happen again', () => {
    const row = (message: string) => ({ path: 'a', status: 'failed' as const, reports: 0, message });
    expect(isTransientFailure(row('timed out after 60 s'))).toBe(true);
    expect(isTransientFailure(row('worker crashed: out of memory'))).toBe(true);
    expect(isTransientFailure(row("EACCES: permission denied, open 'a'"))).toBe(true);
    expect(isTransientFailure(row('no report found (no 政府信息公开 annual report title or sections in the text)'))).toBe(false);
    expect(isTransientFailure({ ...row('timed out'), status: 'partial' })).toBe(false);
  });
});
