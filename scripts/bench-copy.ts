/**
 * Copy detection figures (not a test): the incremental CopyIndex against the array-based
 * markBoilerplate of before the index (loaded from git, LEGACY_REV), on synthetic statements built
 * from the synth phrase bank with variations (verbatim copies, markers and years, small edits, joined
 * clauses, unique place-and-number statements, short statements). Each run is its own process, so the
 * peak heap/RSS figures do not mix.
 *
 *   npx tsx scripts/bench-copy.ts [--n 100000,1000000] [--old-max 200000] [--check 50000]
 *
 * Per N: `gen` (the synthetic corpus alone, its share of the times), `old`, `new`; "held after
 * adding" is heap + array buffers after a full GC once everything is added, before finish().
 * --old-max: largest N the old implementation is run on (it holds every Statement; 0 = never).
 * --check N: before the timings, run old and new on the same N statements and compare the marks and
 * section copies (exits 1 on a difference).
 * --bucket K: K statements of one template that differ in a number (runs of thousands of groups with
 * the same band key), old against new.
 * --dataset DIR: compare old and new on the reports.jsonl (+ statements.jsonl) of an `ogi themes` /
 * `ogi parse` output folder instead (statements made with createNlp when statements.jsonl is missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportRecord, Sections, Statement } from '../src/model/types.js';
import { CopyIndex, createNlp, type SectionCopy } from '../src/nlp/index.js';
import { PHRASES } from '../src/synth/phrases.js';
import { Rng } from '../src/synth/rng.js';

const ROOT = join(import.meta.dirname, '..');
/** The last commit whose markBoilerplate held every statement (before CopyIndex). */
const LEGACY_REV = '2bd0596738e2d643010e2d4fc70bdb7544a50122';

type MarkBoilerplate = (statements: Statement[], reports: ReportRecord[]) => SectionCopy[];

/** Old markBoilerplate from git, written next to a temp copy with its imports pointed at this checkout. */
async function loadLegacy(): Promise<MarkBoilerplate> {
  const src = execFileSync('git', ['show', `${LEGACY_REV}:src/nlp/boilerplate.ts`], { cwd: ROOT, encoding: 'utf8' })
    .replace("from './split.js'", `from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/nlp/split.ts')).href)}`)
    .replace("from '../model/types.js'", `from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/model/types.ts')).href)}`)
    .replace('createRequire(import.meta.url)', `createRequire(${JSON.stringify(join(ROOT, 'package.json'))})`);
  const dir = mkdtempSync(join(tmpdir(), 'ogi-legacy-copy-'));
  const file = join(dir, 'legacy-boilerplate.mts');
  writeFileSync(file, src);
  try {
    return ((await import(pathToFileURL(file).href)) as { markBoilerplate: MarkBoilerplate }).markBoilerplate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Synthetic statements
// ---------------------------------------------------------------------------------------------

type BenchReport = Pick<ReportRecord, 'id' | 'year' | 'agency' | 'sections'>;
type BenchStatement = Pick<Statement, 'report_id' | 'text' | 'tokens'>;

const CLAUSES = [...Object.values(PHRASES.problems).flat(), ...Object.values(PHRASES.measures).flat()];
const MARKERS = ['一是', '二是', '三是', '（一）', '（二）', '1.', '2.', '3、', ''];
const PLACES = PHRASES.provinces.flatMap((p) => p.cities.flatMap((c) => c.counties.map((k) => `${p.name}${c.name}${k}`)));
const FILLER = '的和在对等各项工作进一步加强有关部门单位制度机制落实情况';

/** Cheap tokens: runs of CJK characters cut into pairs, other runs whole (digits, latin). */
function cheapTokens(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\u4e00-\u9fff]+|[0-9A-Za-z]+/gu) ?? []) {
    if (/^[0-9A-Za-z]/.test(run)) out.push(run);
    else for (let i = 0; i < run.length; i += 2) out.push(run.slice(i, i + 2));
  }
  return out;
}

function vary(rng: Rng, clause: string, year: number): string {
  const k = rng.float();
  if (k < 0.35) return clause; // verbatim copy
  if (k < 0.55) return `${rng.pick(MARKERS)}${year}年${clause}`; // marker and year differ only
  if (k < 0.75) {
    // small edit: one character replaced, dropped or added
    const at = rng.int(0, clause.length - 1);
    const c = FILLER[rng.int(0, FILLER.length - 1)];
    const op = rng.int(0, 2);
    return op === 0 ? clause.slice(0, at) + c + clause.slice(at + 1) : op === 1 ? clause.slice(0, at) + clause.slice(at + 1) : clause.slice(0, at) + c + clause.slice(at);
  }
  if (k < 0.85) return `${clause}，${rng.pick(CLAUSES)}`; // two clauses joined
  if (k < 0.93) return `${rng.pick(PLACES)}${rng.pick(PHRASES.departments)}${clause.slice(0, rng.int(6, clause.length))}，涉及${rng.int(1, 99999)}件`; // unique
  return clause.slice(0, rng.int(5, 18)); // short
}

/**
 * Reports of about ten statements each, in shuffled year order (a later-added report is often the
 * earlier year); an agency's report copies its previous section 五 with small edits now and then.
 * Calls back per report, so nothing has to be held.
 */
function synthCorpus(n: number, seed: number, onReport: (r: BenchReport, statements: BenchStatement[]) => void): void {
  const rng = new Rng(seed, 7);
  const agencies = Math.max(1, Math.round(n / 60));
  const lastTexts = new Map<number, string[]>();
  let made = 0;
  for (let r = 0; made < n; r++) {
    const agency = r % agencies;
    const year = 2019 + ((r / agencies) | 0) % 6 + (rng.chance(0.05) ? 1 : 0);
    const id = `${(Math.imul(r + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}-${r}`;
    const count = Math.min(n - made, rng.int(4, 16));
    const prev = lastTexts.get(agency);
    const texts: string[] =
      prev && rng.chance(0.3)
        ? prev.map((t) => (rng.chance(0.2) ? vary(rng, t, year) : t))
        : Array.from({ length: count }, () => vary(rng, rng.pick(CLAUSES), year));
    lastTexts.set(agency, texts);
    const statements = texts.slice(0, count).map((text) => ({ report_id: id, text, tokens: cheapTokens(text) }));
    made += statements.length;
    const sections = { overview: null, proactive: null, applications: null, review_litigation: null, problems: texts.join('。\n') + '。', other: null } satisfies Sections;
    onReport({ id, year: rng.chance(0.01) ? null : year, agency: `${PLACES[agency % PLACES.length]}${PHRASES.departments[(agency / PLACES.length) | 0 % 14] ?? ''}${agency}`, sections }, statements);
  }
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

interface Result {
  marks: [number, string, number][];
  sectionCopies: [string, string, number][];
}

let peakHeap = 0;
let peakRss = 0;
/** Heap + array buffers after a full GC once everything is added (children run with --expose-gc). */
let heldAfterFeed = 0;
function held(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
function sample(): void {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
  peakRss = Math.max(peakRss, m.rss);
}

function materialize(n: number): { reports: ReportRecord[]; statements: Statement[] } {
  const reports: ReportRecord[] = [];
  const statements: Statement[] = [];
  synthCorpus(n, 1, (r, sts) => {
    reports.push(r as ReportRecord);
    for (const s of sts) statements.push({ ...s, kind: 'problem', index: 0, themes: [], boilerplate: null });
    if (statements.length % 10_000 < sts.length) sample();
  });
  return { reports, statements };
}

async function runOld(statements: Statement[], reports: ReportRecord[]): Promise<Result> {
  const markBoilerplate = await loadLegacy();
  sample();
  heldAfterFeed = held();
  const copies = markBoilerplate(statements, reports);
  sample();
  const marks: Result['marks'] = [];
  statements.forEach((s, i) => {
    if (s.boilerplate) marks.push([i, s.boilerplate.of ?? '', s.boilerplate.similarity]);
  });
  return { marks, sectionCopies: copies.map((c) => [c.report_id, c.of, c.similarity]) };
}

function runNew(feed: (index: CopyIndex) => void): { result: Result; index: CopyIndex; finishSec: number } {
  const index = new CopyIndex();
  feed(index);
  sample();
  heldAfterFeed = held();
  const t0 = performance.now();
  const found = index.finish();
  const finishSec = (performance.now() - t0) / 1000;
  sample();
  const marks: Result['marks'] = [...found.marks].map(([i, m]) => [i, m.of, Math.round(m.similarity * 1000) / 1000] as [number, string, number]);
  marks.sort((a, b) => a[0] - b[0]);
  return { result: { marks, sectionCopies: found.sectionCopies.map((c) => [c.report_id, c.of, c.similarity]) }, index, finishSec };
}

/** unordered: section copies compared as a set (their order follows the order reports were added in). */
function compare(label: string, a: Result, b: Result, unordered = false): boolean {
  const key = (r: Result): string => JSON.stringify(unordered ? { ...r, sectionCopies: [...r.sectionCopies].sort() } : r);
  if (key(a) === key(b)) {
    console.log(`${label}: same results (${a.marks.length} marked statements, ${a.sectionCopies.length} section copies)`);
    return true;
  }
  console.log(`${label}: DIFFERENT (old ${a.marks.length} marks / ${a.sectionCopies.length} section copies, new ${b.marks.length} / ${b.sectionCopies.length})`);
  const bm = new Map(b.marks.map((m) => [m[0], m]));
  let shown = 0;
  for (const m of a.marks) {
    const o = bm.get(m[0]);
    if ((!o || o[1] !== m[1] || o[2] !== m[2]) && shown++ < 10) console.log('  old', m, 'new', o);
  }
  const am = new Map(a.marks.map((m) => [m[0], m]));
  for (const m of b.marks) if (!am.has(m[0]) && shown++ < 20) console.log('  new only', m);
  return false;
}

/** One timed run in this process (a child of the driver). */
async function child(impl: 'old' | 'new' | 'gen', n: number): Promise<void> {
  sample();
  const t0 = performance.now();
  let statements = 0;
  let stats = '';
  if (impl === 'gen') {
    // The synthetic corpus alone: its share of the other runs' time.
    synthCorpus(n, 1, (_r, sts) => {
      statements += sts.length;
      if (statements % 10_000 < sts.length) sample();
    });
    heldAfterFeed = held();
  } else if (impl === 'old') {
    const { reports, statements: sts } = materialize(n);
    statements = sts.length;
    try {
      await runOld(sts, reports);
    } catch (err) {
      // At 1M statements the old set of seen pairs outgrows what a JS Set can hold.
      const sec = (performance.now() - t0) / 1000;
      console.log(`old  N=${n.toLocaleString('en').padStart(9)}  failed after ${sec.toFixed(0)} s: ${String(err)}; peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB, RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
      return;
    }
  } else {
    const { index, finishSec } = runNew((idx) =>
      synthCorpus(n, 1, (r, sts) => {
        idx.addReport(r);
        for (const s of sts) idx.addStatement(s);
        statements += sts.length;
        if (statements % 10_000 < sts.length) sample();
      }),
    );
    const s = index.stats;
    stats = ` (finish ${finishSec.toFixed(1)} s) groups ${s.groups.toLocaleString('en')}, candidate pairs ${s.candidatePairs.toLocaleString('en')}, short pairs ${s.shortPairs.toLocaleString('en')} (LSH ${(s.lshMs / 1000).toFixed(1)} s, short ${(s.shortMs / 1000).toFixed(1)} s), index ≈${(s.bytes / 2 ** 20).toFixed(0)} MiB`;
  }
  const sec = (performance.now() - t0) / 1000;
  const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `${impl.padEnd(4)} N=${n.toLocaleString('en').padStart(9)}  ${sec.toFixed(1).padStart(6)} s  ${Math.round(statements / sec).toLocaleString('en').padStart(8)} statements/s  peak heap ${mib(peakHeap)}, RSS ${mib(peakRss)}, held after adding ${mib(heldAfterFeed)}${stats}`,
  );
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** Old and new on an ogi output folder (reports.jsonl, statements.jsonl when present). */
async function checkDataset(dir: string): Promise<boolean> {
  const reports = readJsonl<ReportRecord>(join(dir, 'reports.jsonl'));
  let statements: Statement[];
  if (existsSync(join(dir, 'statements.jsonl'))) statements = readJsonl<Statement>(join(dir, 'statements.jsonl'));
  else {
    const nlp = await createNlp();
    statements = reports.flatMap((r) => nlp.statements(r));
  }
  for (const s of statements) s.boilerplate = null;
  const fresh = (): Statement[] => statements.map((s) => ({ ...s }));
  const old = await runOld(fresh(), reports);
  const { result } = runNew((idx) => {
    for (const r of reports) idx.addReport(r);
    for (const s of fresh()) idx.addStatement(s);
  });
  return compare(`${dir} (${reports.length} reports, ${statements.length} statements)`, old, result);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

if (process.argv.includes('--child')) {
  await child(arg('--impl', 'new') as 'old' | 'new' | 'gen', Number(arg('--n', '100000')));
} else if (process.argv.includes('--bucket')) {
  // K statements from one template differing in a number only: thousands of groups share band keys.
  const k = Number(arg('--bucket', '5000'));
  const reports: ReportRecord[] = [];
  const statements: Statement[] = [];
  for (let i = 0; i < k; i++) {
    const text = `部分单位政府信息公开内容不够全面，涉及第${i}号事项，更新不够及时`;
    reports.push({ id: `b${i}`, year: 2019 + (i % 5), agency: `单位${i}`, sections: { overview: null, proactive: null, applications: null, review_litigation: null, problems: text, other: null } } as ReportRecord);
    statements.push({ report_id: `b${i}`, text, tokens: cheapTokens(text), kind: 'problem', index: 0, themes: [], boilerplate: null });
  }
  let t = performance.now();
  const { result, index } = runNew((idx) => {
    for (const r of reports) idx.addReport(r);
    for (const st of statements) idx.addStatement(st);
  });
  console.log(`new  bucket K=${k}: ${((performance.now() - t) / 1000).toFixed(1)} s, candidate pairs ${index.stats.candidatePairs.toLocaleString('en')}, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB`);
  t = performance.now();
  try {
    const old = await runOld(statements, reports);
    console.log(`old  bucket K=${k}: ${((performance.now() - t) / 1000).toFixed(1)} s, peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB (both runs)`);
    compare(`bucket K=${k}`, old, result);
  } catch (err) {
    console.log(`old  bucket K=${k}: failed after ${((performance.now() - t) / 1000).toFixed(0)} s: ${String(err)}`);
  }
} else if (process.argv.includes('--dataset')) {
  process.exitCode = (await checkDataset(arg('--dataset', ''))) ? 0 : 1;
} else {
  const check = Number(arg('--check', '50000'));
  if (check > 0) {
    const { reports, statements } = materialize(check);
    const old = await runOld(statements.map((s) => ({ ...s })), reports);
    // Reports added after their statements, in reverse: the result must not depend on that order.
    const { result } = runNew((idx) => {
      for (const s of statements) idx.addStatement(s);
      for (const r of [...reports].reverse()) idx.addReport(r);
    });
    if (!compare(`synthetic N=${check}, reports added last and in reverse`, old, result, true)) process.exitCode = 1;
    const same = runNew((idx) => {
      for (const r of reports) idx.addReport(r);
      for (const s of statements) idx.addStatement(s);
    });
    if (!compare(`synthetic N=${check}, reports first`, old, same.result)) process.exitCode = 1;
  }
  const oldMax = Number(arg('--old-max', '200000'));
  for (const n of arg('--n', '100000,1000000').split(',').map(Number)) {
    for (const impl of ['gen', 'old', 'new'] as const) {
      if (impl === 'old' && n > oldMax) {
        console.log(`old  N=${n.toLocaleString('en').padStart(9)}  not run (above --old-max ${oldMax}: every Statement in memory)`);
        continue;
      }
      spawnSync(process.execPath, [...process.execArgv, '--expose-gc', import.meta.filename, '--child', '--impl', impl, '--n', String(n)], { stdio: 'inherit' });
    }
  }
}
