/**
 * Unchanged re-runs of `ogi themes` and `ogi report` (src/pipeline/fingerprint.ts): the second run over
 * the same inputs, code and options rewrites nothing and reports the first run's figures; any change to
 * what shapes the outputs (an input's bytes, an option, an option file's bytes, an output, the command,
 * the code) means a full run that rewrites them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main, type CliIO } from '../../src/cli/main.js';
import { RUN_FINGERPRINT_FILE } from '../../src/batch/run-fingerprint.js';
import { commandFingerprint } from '../../src/pipeline/fingerprint.js';
import { runThemes } from '../../src/pipeline/themes.js';
import { DEFAULT_TAXONOMY_PATH, createLazyNlp, type Nlp } from '../../src/nlp/index.js';
import { tempCorpus, withCacheVersion } from './helpers.js';

let tmp: string;
let corpus: string;
const NAMES = ['103.txt', '110.txt', '120.txt', '133.txt'];

let remove: () => Promise<void>;
beforeAll(async () => {
  ({ tmp, corpus, remove } = await tempCorpus('ogi-cmd-rerun-', NAMES));
});
afterAll(() => remove());

interface Summary {
  command: string;
  files: number;
  reports: number;
  status: Record<string, number>;
  findings: { total: number };
  outputs: string[];
  up_to_date?: boolean;
  batch: { cached: number; parsed: number };
}

async function ogi(...args: string[]): Promise<Summary> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false };
  const code = await main(['node', 'ogi', ...args, '--json', '--jobs', '1'], io);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as Summary;
}

async function mtime(path: string): Promise<number> {
  return (await stat(path)).mtimeMs;
}

describe('ogi report, run again', () => {
  const out = () => join(tmp, 'report');

  it('rewrites nothing when nothing changed, and gives the first run its figures', async () => {
    const first = await ogi('report', corpus, '--out', out());
    expect(first.up_to_date).toBeUndefined();
    expect(first.batch.parsed).toBe(NAMES.length);
    const fp = JSON.parse(await readFile(join(out(), RUN_FINGERPRINT_FILE), 'utf8')) as { command: string; outputs: Record<string, unknown> };
    expect(fp.command).toBe('report');
    // Every output the run listed is recorded, the report's charts and tables included.
    expect(Object.keys(fp.outputs).sort()).toEqual(first.outputs.map((p) => p.slice(out().length + 1)).sort());
    expect(Object.keys(fp.outputs)).toContain('report.html');
    expect(Object.keys(fp.outputs).some((f) => f.startsWith('charts/') && f.endsWith('.png'))).toBe(true);

    const html = await readFile(join(out(), 'report.html'), 'utf8');
    const before = await mtime(join(out(), 'report.html'));
    const again = await ogi('report', corpus, '--out', out());
    expect(again.up_to_date).toBe(true);
    // Neither parsed nor answered from the store: the executor never ran.
    expect(again.batch).toMatchObject({ parsed: 0, cached: 0 });
    expect({ ...again, up_to_date: undefined, batch: undefined, elapsed_ms: 0 }).toEqual({ ...first, batch: undefined, elapsed_ms: 0 });
    expect(await mtime(join(out(), 'report.html'))).toBe(before);
    expect(await readFile(join(out(), 'report.html'), 'utf8')).toBe(html);
  });

  it('stays up to date when an input is only touched: the bytes decide', async () => {
    const file = join(corpus, NAMES[0]);
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    expect((await ogi('report', corpus, '--out', out())).up_to_date).toBe(true);
  });

  it('runs in full when an input changes, an option changes, or an output is gone', async () => {
    const file = join(corpus, NAMES[1]);
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('\n')]));
    const changed = await ogi('report', corpus, '--out', out());
    expect(changed.up_to_date).toBeUndefined();
    expect(changed.batch.parsed).toBe(1);
    await writeFile(file, original);
    expect((await ogi('report', corpus, '--out', out())).up_to_date).toBeUndefined();
    expect((await ogi('report', corpus, '--out', out())).up_to_date).toBe(true);

    // An analysis option shapes the report.
    const since = await ogi('report', corpus, '--out', out(), '--since', '2019');
    expect(since.up_to_date).toBeUndefined();
    expect((await ogi('report', corpus, '--out', out(), '--since', '2019')).up_to_date).toBe(true);
    expect((await ogi('report', corpus, '--out', out())).up_to_date).toBeUndefined();
    expect((await ogi('report', corpus, '--out', out(), '--by', 'level')).up_to_date).toBeUndefined();
    expect((await ogi('report', corpus, '--out', out(), '--by', 'level', '--filter', 'level=county')).up_to_date).toBeUndefined();
    expect((await ogi('report', corpus, '--out', out(), '--by', 'level', '--filter', 'level=county')).up_to_date).toBe(true);
    // The input arguments as given are part of the report (it states them).
    expect((await ogi('report', `${corpus}/`, '--out', out(), '--by', 'level', '--filter', 'level=county')).up_to_date).toBeUndefined();

    // A chart removed is written again.
    const png = (await ogi('report', corpus, '--out', out())).outputs.find((p) => p.endsWith('.png'))!;
    await rm(png);
    const restored = await ogi('report', corpus, '--out', out());
    expect(restored.up_to_date).toBeUndefined();
    expect((await stat(png)).size).toBeGreaterThan(0);

    // --no-cache runs in full and leaves no fingerprint, so the next run is a full one too.
    const nocache = await ogi('report', corpus, '--out', out(), '--no-cache');
    expect(nocache.up_to_date).toBeUndefined();
    await expect(stat(join(out(), RUN_FINGERPRINT_FILE))).rejects.toThrow();
    expect((await ogi('report', corpus, '--out', out())).up_to_date).toBeUndefined();
  });

  it('runs in full when an option file keeps its name but not its bytes', async () => {
    const cases: [flag: string, name: string, before: string, after: string][] = [
      ['--stopwords-file', 'stopwords.txt', '工作\n', '工作\n信息\n'],
      ['--dict', 'user.dict.txt', '政务公开专栏 10 n\n', '政务公开专栏 10 n\n依申请公开 10 n\n'],
    ];
    for (const [flag, name, before, after] of cases) {
      const file = join(tmp, name);
      const run = () => ogi('report', corpus, '--out', out(), flag, file);
      await writeFile(file, before);
      expect((await run()).up_to_date, flag).toBeUndefined();
      expect((await run()).up_to_date, flag).toBe(true);
      await writeFile(file, after);
      expect((await run()).up_to_date, flag).toBeUndefined();
    }
  });

  it('does not take the outputs of another command, or of other code, for its own', async () => {
    const dir = join(tmp, 'mixed');
    await ogi('themes', corpus, '--out', dir);
    expect((await ogi('themes', corpus, '--out', dir)).up_to_date).toBe(true);
    // report over the same folder needs its own outputs; parse after it must not trust report's record.
    expect((await ogi('report', corpus, '--out', dir)).up_to_date).toBeUndefined();
    expect((await ogi('parse', corpus, '--out', dir)).up_to_date).toBeUndefined();
    expect((await ogi('themes', corpus, '--out', dir)).up_to_date).toBeUndefined();

    // Another code version (OGI_CACHE_VERSION stands in for an edit of the code).
    await withCacheVersion(async (pin) => {
      pin('test-a');
      expect((await ogi('themes', corpus, '--out', dir)).up_to_date).toBeUndefined();
      expect((await ogi('themes', corpus, '--out', dir)).up_to_date).toBe(true);
      pin('test-b');
      expect((await ogi('themes', corpus, '--out', dir)).up_to_date).toBeUndefined();
    });
  });
});

describe('ogi audit, run again', () => {
  it('is up to date until its weights file changes', async () => {
    const dir = join(tmp, 'audit');
    const weights = join(tmp, 'weights.json');
    const shipped = JSON.parse(await readFile(new URL('../../src/data/audit-weights.json', import.meta.url), 'utf8')) as { base: number };
    await writeFile(weights, JSON.stringify(shipped));
    expect((await ogi('audit', corpus, '--out', dir, '--weights', weights)).up_to_date).toBeUndefined();
    const again = await ogi('audit', corpus, '--out', dir, '--weights', weights);
    expect(again.up_to_date).toBe(true);
    expect(again.outputs.map((p) => p.slice(dir.length + 1))).toEqual(expect.arrayContaining(['audit.html', 'audit.xlsx', 'audit.csv']));
    await writeFile(weights, JSON.stringify({ ...shipped, base: shipped.base - 10 }));
    expect((await ogi('audit', corpus, '--out', dir, '--weights', weights)).up_to_date).toBeUndefined();
  });
});

describe('commandFingerprint as a library', () => {
  it('records a run only when it knows every input, and never with the cache off', async () => {
    const dir = join(tmp, 'library');
    const opts = { out: dir, keepStatements: false, keepDigests: false };
    const run = await runThemes([corpus], opts);
    expect(run.sources?.map((s) => s.path)).toEqual(NAMES.map((n) => join(corpus, n)));
    const fp = commandFingerprint('themes', [corpus], opts);
    expect(await fp.upToDate()).toBeNull();
    expect(await fp.record(run)).toBe(true);
    const skipped = await fp.upToDate();
    expect(skipped).toMatchObject({ command: 'themes', files: NAMES.length, reports: run.summary.reports, up_to_date: true });

    // A run that could not identify its inputs leaves nothing to trust.
    expect(await fp.record({ summary: run.summary })).toBe(false);
    const off = commandFingerprint('themes', [corpus], { ...opts, cache: false });
    expect(await off.upToDate()).toBeNull();
    expect(await off.record(run)).toBe(false);
    const noCache = await runThemes([corpus], { ...opts, cache: false });
    expect(noCache.sources).toBeUndefined();
  });

  it('keys the statements on the options of an Nlp it is given, and will not vouch for one without them', async () => {
    const dir = join(tmp, 'library-nlp');
    const opts = { out: dir, keepStatements: false, keepDigests: false };
    const fp = commandFingerprint('themes', [corpus], opts);
    expect(await fp.record(await runThemes([corpus], opts))).toBe(true);
    expect(await fp.upToDate()).not.toBeNull();

    // An Nlp built from the same options as the flags say: the same key.
    expect(await commandFingerprint('themes', [corpus], { ...opts, nlp: createLazyNlp() }).upToDate()).not.toBeNull();
    // Another taxonomy (same themes, other bytes), or classifier parameters the flags cannot express.
    const taxonomy = join(tmp, 'taxonomy-copy.json');
    await writeFile(taxonomy, (await readFile(DEFAULT_TAXONOMY_PATH, 'utf8')) + '\n');
    expect(await commandFingerprint('themes', [corpus], { ...opts, nlp: createLazyNlp({ taxonomyPath: taxonomy }) }).upToDate()).toBeNull();
    expect(await commandFingerprint('themes', [corpus], { ...opts, nlp: createLazyNlp({ params: { minScore: 0.5 } }) }).upToDate()).toBeNull();
    // An Nlp of the caller's own making: nothing to key on, so never skipped and never recorded.
    const own: Nlp = { ...createLazyNlp(), options: undefined };
    const unknown = commandFingerprint('themes', [corpus], { ...opts, nlp: own });
    expect(await unknown.upToDate()).toBeNull();
    expect(await unknown.record(await runThemes([corpus], { ...opts, nlp: own }))).toBe(false);
  });
});
