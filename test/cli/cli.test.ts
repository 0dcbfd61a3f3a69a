/** `ogi` end to end: outputs, bad inputs, --json, exit codes, and the bin script. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { execFile, spawn } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type CliIO } from '../../src/cli/main.js';
import { FIXTURES, checkContract, readOutputs, walk } from './helpers.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ogi-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function ogi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false };
  const code = await main(['node', 'ogi', ...args], io);
  return { code, stdout, stderr };
}

describe('ogi parse on the fixtures', () => {
  it('writes the four files, one manifest row per input file, and a JSON summary', async () => {
    const out = join(tmp, 'fixtures');
    const r = await ogi('parse', join(FIXTURES, 'seed'), join(FIXTURES, 'reports'), '--out', out, '--json', '--jobs', '2');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      command: string;
      files: number;
      reports: number;
      status: Record<string, number>;
      findings: { total: number; by_rule: Record<string, number> };
      outputs: string[];
    };
    const files = [...walk(join(FIXTURES, 'seed')), ...walk(join(FIXTURES, 'reports'))];
    expect(summary.command).toBe('parse');
    expect(summary.files).toBe(files.length);
    const o = readOutputs(out);
    checkContract(o);
    expect(o.manifest.map((m) => m.path)).toEqual(files);
    expect(summary.reports).toBe(o.reports.length);
    expect(summary.findings.total).toBe(o.findings.length);
    expect(Object.values(summary.status).reduce((a, b) => a + b, 0)).toBe(files.length);
    expect(summary.findings.by_rule['review_litigation.sum']).toBeGreaterThanOrEqual(1);
    expect(summary.outputs.map((p) => p.slice(out.length + 1))).toEqual(['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv']);

    // An unchanged re-run finds the outputs up to date (run fingerprint) and parses nothing.
    const again = await ogi('parse', join(FIXTURES, 'seed'), join(FIXTURES, 'reports'), '--out', out, '--json', '--jobs', '2');
    expect(again.code, again.stderr).toBe(0);
    const upToDate = JSON.parse(again.stdout) as { up_to_date?: boolean; batch: { cached: number; parsed: number } };
    expect(upToDate.up_to_date).toBe(true);
    expect(upToDate.batch.parsed).toBe(0);
    const plain = await ogi('parse', join(FIXTURES, 'seed'), join(FIXTURES, 'reports'), '--out', out, '--jobs', '2');
    expect(plain.stderr + plain.stdout).toContain('outputs up to date');
    // Without the fingerprint, it answers every file from the store and writes the same bytes.
    await rm(join(out, '.ogi-run.json'));
    const fromStore = await ogi('parse', join(FIXTURES, 'seed'), join(FIXTURES, 'reports'), '--out', out, '--json', '--jobs', '2');
    expect(fromStore.code, fromStore.stderr).toBe(0);
    const batch = (JSON.parse(fromStore.stdout) as { batch: { cached: number; parsed: number } }).batch;
    expect(batch).toMatchObject({ cached: files.length, parsed: 0 });
    const second = readOutputs(out);
    for (const f of ['reports.jsonl', 'cells.csv', 'findings.csv', 'manifest.csv']) expect(second.raw[f], f).toBe(o.raw[f]);
  });

  it('without --json prints one summary line, with --quiet nothing', async () => {
    const file = join(FIXTURES, 'reports', '133.txt');
    const loud = await ogi('parse', file, '--out', join(tmp, 'loud'), '--no-cache');
    expect(loud.code).toBe(0);
    expect(loud.stdout).toMatch(/^parse: 1 file \(ok 1, partial 0, failed 0, skipped 0\), 1 report, \d+ findings? \(0 errors\) → /);
    const quiet = await ogi('parse', file, '--out', join(tmp, 'quiet'), '--quiet', '--no-cache');
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('an empty input folder', () => {
  it('finishes with empty outputs (headers only), exit 0 and a warning', async () => {
    const empty = join(tmp, 'empty-in');
    await mkdir(empty);
    const out = join(tmp, 'empty-out');
    const r = await ogi('parse', empty, '--out', out, '--no-cache');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no input files found');
    const o = readOutputs(out);
    checkContract(o);
    expect([o.reports.length, o.cells.length, o.findings.length, o.manifest.length]).toEqual([0, 0, 0, 0]);
  });
});

describe('bad input gets a manifest row and the run goes on', () => {
  it('unreadable path, binary bytes, empty file, 200 MB file, a report with no tables', async () => {
    const dir = join(tmp, 'bad');
    await mkdir(dir);
    const good = join(dir, 'good.txt');
    await copyFile(join(FIXTURES, 'reports', '133.txt'), good);
    const binary = join(dir, 'binary.txt');
    await writeFile(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    // 200 MB without writing 200 MB: a sparse file.
    const huge = join(dir, 'huge.txt');
    const handle = await open(huge, 'w');
    await handle.truncate(200 * 1024 * 1024);
    await handle.close();
    const noTables = join(dir, 'no-tables.txt');
    await writeFile(
      noTables,
      [
        '某县人民政府2020年政府信息公开工作年度报告',
        '本报告统计时间为2020年1月1日至2020年12月31日。',
        '一、总体情况',
        '2020年，我县认真贯彻落实政府信息公开条例，共受理政府信息公开申请5件，均已按时答复。',
        '二、主动公开政府信息情况',
        '全年主动公开政府信息1200条，其中规范性文件12件。',
        '三、收到和处理政府信息公开申请情况',
        '全年收到申请5件，予以公开3件，部分公开2件。',
        '四、政府信息公开行政复议、行政诉讼情况',
        '全年未发生政府信息公开行政复议和行政诉讼。',
        '五、政府信息公开工作存在的主要问题及改进情况',
        '一是政策解读形式单一。二是人员力量不足。下一步将加强培训。',
        '六、其他需要报告的事项',
        '无。',
      ].join('\n'),
    );
    const missing = join(dir, 'missing.txt');
    const loop = join(dir, 'loop.txt');
    await symlink(loop, loop);
    try {
      const out = join(tmp, 'bad-out');
      const r = await ogi('parse', missing, binary, empty, huge, noTables, loop, good, '--out', out, '--json', '--no-cache', '--jobs', '1');
      expect(r.code, r.stderr).toBe(0);
      const rows = new Map(readOutputs(out).manifest.map((m) => [m.path, m]));
      expect(rows.size).toBe(7);
      expect(rows.get(missing)).toMatchObject({ status: 'failed', reports: '0' });
      expect(rows.get(missing)!.message).toContain('ENOENT');
      expect(['failed', 'skipped']).toContain(rows.get(binary)!.status);
      expect(rows.get(binary)!.message).toMatch(/binary/);
      expect(rows.get(empty)!.status).toBe('failed');
      expect(rows.get(empty)!.message).toMatch(/empty/);
      expect(['failed', 'skipped']).toContain(rows.get(huge)!.status);
      expect(rows.get(huge)!.message).toMatch(/200 MB|too large|limit/);
      expect(rows.get(loop)!.status).toBe('failed');
      expect(rows.get(loop)!.message.length).toBeGreaterThan(5);
      const nt = rows.get(noTables)!;
      expect(nt.status).toBe('partial');
      expect(nt.reports).toBe('1');
      expect(nt.message).toContain('1 with tables not read (表二、表三、表四)');
      expect(rows.get(good)!.status).toBe('ok');
      const summary = JSON.parse(r.stdout) as { status: Record<string, number> };
      expect(summary.status.ok).toBe(1);
    } finally {
      await rm(huge, { force: true });
    }
  });
});

describe('exit codes', () => {
  const file = join(FIXTURES, 'reports', '133.txt');

  it('1 on usage errors, with a message on stderr', async () => {
    const noOut = await ogi('parse', file);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toContain('--out');
    expect((await ogi('parse', '--out', join(tmp, 'x'))).code).toBe(1);
    const jobs = await ogi('parse', file, '--out', join(tmp, 'x'), '--jobs', '0');
    expect(jobs.code).toBe(1);
    expect(jobs.stderr).toContain('--jobs');
    // A worker holds its own parser (~100 MB): 1000 of them would take the machine down.
    const tooMany = await ogi('parse', file, '--out', join(tmp, 'x'), '--jobs', String(4 * availableParallelism() + 1));
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/--jobs \d+ is more than 4 worker threads per core/);
    expect((await ogi('parse', file, '--out', join(tmp, 'x'), '--max-size', 'big')).code).toBe(1);
    expect((await ogi('frobnicate')).code).toBe(1);
    const range = await ogi('report', file, '--out', join(tmp, 'x'), '--since', '2021', '--until', '2020');
    expect(range.code).toBe(1);
    expect(range.stderr).toContain('--since');
    expect((await ogi('report', file, '--out', join(tmp, 'x'), '--by', 'colour')).code).toBe(1);
  });

  it('1 for a --store that is not SQLite, which is left as it is (a damaged store is rebuilt instead)', async () => {
    const victim = join(tmp, 'victim.csv');
    await writeFile(victim, 'agency,group\n甲,一组\n');
    const r = await ogi('parse', file, '--out', join(tmp, 'store-typo'), '--store', victim);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--store ${victim} is not an SQLite file`);
    expect(await readFile(victim, 'utf8')).toBe('agency,group\n甲,一组\n');
    expect((await readdir(tmp)).filter((f) => f.startsWith('victim.csv.corrupt'))).toEqual([]);
    const fresh = join(tmp, 'fresh-store.sqlite');
    expect((await ogi('parse', file, '--out', join(tmp, 'store-new'), '--store', fresh)).code).toBe(0);
    expect((await readFile(fresh)).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect((await ogi('parse', file, '--out', join(tmp, 'store-dir'), '--store', tmp)).stderr).toContain('is a folder');
    // Another program's SQLite database: no tables added, not moved aside.
    const foreign = join(tmp, 'notes.db');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(foreign);
    db.exec(`CREATE TABLE notes (x TEXT); CREATE TABLE meta (k TEXT)`);
    db.close();
    const before = await readFile(foreign);
    const other = await ogi('parse', file, '--out', join(tmp, 'store-foreign'), '--store', foreign);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`--store ${foreign} is an SQLite database but not an ogi store (tables: notes, meta)`);
    expect(await readFile(foreign)).toEqual(before);
    // An ogi store is used as it is.
    expect((await ogi('parse', file, '--out', join(tmp, 'store-again'), '--store', fresh)).code).toBe(0);
  });

  it('2 when the output folder cannot be written', async () => {
    const blocker = join(tmp, 'a-file');
    await writeFile(blocker, 'x');
    const r = await ogi('parse', file, '--out', join(blocker, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be written');
    expect(r.stderr).toContain(`${blocker} is a file, not a folder`);
    // The same for every command that writes a folder.
    for (const args of [['parse', file, '--out', blocker], ['synth', '--n', '2', '--out', blocker]]) {
      const e = await ogi(...args);
      expect(e.code).toBe(2);
      expect(e.stderr).toContain(`output folder ${blocker} cannot be written: it is a file, not a folder`);
    }
  });

  it('0 for --help and --version', async () => {
    const help = await ogi('--help');
    expect(help.code).toBe(0);
    for (const cmd of ['parse', 'themes', 'report', 'audit', 'export', 'synth']) expect(help.stdout).toContain(cmd);
    const parseHelp = await ogi('parse', '--help');
    for (const opt of ['--out', '--json', '--jobs', '--no-cache', '--max-size', '--timeout', '--quiet']) expect(parseHelp.stdout).toContain(opt);
    const themesHelp = await ogi('themes', '--help');
    for (const opt of ['--taxonomy', '--dict', '--word', '--stopwords-file', '--stopword']) expect(themesHelp.stdout).toContain(opt);
    const auditHelp = await ogi('audit', '--help');
    for (const opt of ['--by', '--since', '--until', '--filter', '--groups']) expect(auditHelp.stdout).toContain(opt);
    expect((await ogi('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('ogi rules', () => {
  it('prints the catalogue as a Markdown table (README) or JSON', async () => {
    const { RULES } = await import('../../src/validate/index.js');
    const md = await ogi('rules');
    expect(md.code).toBe(0);
    for (const r of RULES) expect(md.stdout).toContain(`| \`${r.id}\` | ${r.severity} |`);
    // The documented table (src/cli/CLI.md, pasted into the README) is the catalogue as it is.
    const doc = await readFile(fileURLToPath(new URL('../../src/cli/CLI.md', import.meta.url)), 'utf8');
    expect(doc, 'src/cli/CLI.md is out of date: paste `ogi rules` into it').toContain(md.stdout);
    const readme = await readFile(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    expect(readme, 'README.md is out of date: paste `ogi rules` into its checks table').toContain(md.stdout);
    const json = await ogi('rules', '--json');
    expect((JSON.parse(json.stdout) as { id: string }[]).map((r) => r.id)).toEqual(RULES.map((r) => r.id));
  });
});

describe('files with the same bytes (a page saved twice in a crawl)', () => {
  it('are listed, the later ones as duplicates, and their reports and statements counted once', async () => {
    const dir = join(tmp, 'dups');
    await mkdir(join(dir, 'a'), { recursive: true });
    await mkdir(join(dir, 'b'), { recursive: true });
    await copyFile(join(FIXTURES, 'reports', '133.txt'), join(dir, 'a', '133.txt'));
    await copyFile(join(FIXTURES, 'reports', '133.txt'), join(dir, 'b', 'copy.txt'));
    await copyFile(join(FIXTURES, 'reports', '134.txt'), join(dir, 'b', '134.txt'));
    for (const extra of [['--jobs', '1', '--no-cache'], ['--jobs', '2']]) {
      const out = join(tmp, `dups-out-${extra.join('')}`);
      const r = await ogi('themes', dir, '--out', out, '--json', ...extra);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ files: 3, reports: 2, status: { ok: 2, skipped: 1 } });
      const manifest = await readFile(join(out, 'manifest.csv'), 'utf8');
      expect(manifest).toContain(`${join(dir, 'b', 'copy.txt')},skipped,0,"duplicate: the same bytes as ${join(dir, 'a', '133.txt')} (1 report, counted there)"`);
      const ids = (await readFile(join(out, 'reports.jsonl'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
      expect(new Set(ids).size).toBe(2);
      const statements = (await readFile(join(out, 'statements.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { report_id: string; kind: string; index: number });
      const keys = statements.map((st) => `${st.report_id}/${st.kind}/${st.index}`);
      expect(new Set(keys).size).toBe(keys.length); // none twice
    }
  });
});

describe('an output folder inside the input folder', () => {
  it('is never read as input: the same files on every run, and an unchanged re-run is up to date', async () => {
    const dir = join(tmp, 'out-inside');
    await mkdir(dir);
    for (const f of ['133.txt', '134.txt']) await copyFile(join(FIXTURES, 'reports', f), join(dir, f));
    const out = join(dir, 'out');
    const run = async (...extra: string[]) => {
      const r = await ogi('themes', dir, '--out', out, '--json', '--jobs', '1', ...extra);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { files: number; reports: number; up_to_date?: boolean };
    };
    expect(await run()).toMatchObject({ files: 2, reports: 2 });
    expect(await run()).toMatchObject({ files: 2, reports: 2, up_to_date: true });
    expect(await run('--no-cache')).toMatchObject({ files: 2, reports: 2 });
    const manifest = await readFile(join(out, 'manifest.csv'), 'utf8');
    expect(manifest).not.toContain(out);
    // The output folder given as an input: its files would be read, then overwritten.
    const same = await ogi('parse', out, '--out', out);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain(`${out} is the output folder (--out) as well as an input`);
  });

  it('--json says how many workers ran: no more than there are files', async () => {
    const dir = join(tmp, 'two-files');
    await mkdir(dir);
    for (const f of ['133.txt', '134.txt']) await copyFile(join(FIXTURES, 'reports', f), join(dir, f));
    const r = await ogi('parse', dir, '--out', join(tmp, 'two-files-out'), '--jobs', '8', '--json', '--no-cache');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { batch: { jobs: number } }).batch.jobs).toBe(2);
  });
});

describe('ogi synth and ogi export say what they wrote', () => {
  it('prints one summary line each (none with --quiet, the summary object with --json)', async () => {
    const corpus = join(tmp, 'synth-line');
    const synth = await ogi('synth', '--n', '12', '--seed', '3', '--out', corpus);
    expect(synth.code, synth.stderr).toBe(0);
    const truth = (await readFile(join(corpus, 'truth.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(truth).toHaveLength(12);
    expect(synth.stdout).toMatch(new RegExp(`^synth: 12 reports, seed 3, [\\d.]+ MB \\(templates: .+\\) → ${corpus.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(truth\\.jsonl beside them\\) in [\\d.]+ s\\n$`));
    const templates = [...synth.stdout.matchAll(/(2019|2021|pre2019) (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
    expect(templates).toBe(12);
    expect((await ogi('synth', '--n', '2', '--out', join(tmp, 'synth-quiet'), '--quiet')).stdout).toBe('');

    const out = join(tmp, 'synth-line-out');
    expect((await ogi('parse', corpus, '--out', out, '--jobs', '1', '--quiet')).code).toBe(0);
    const store = join(out, '.ogi-cache.sqlite');
    const exported = await ogi('export', '--format', 'csv', '--store', store, '--out', join(tmp, 'export-line'));
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^export: 5 tables as csv \(files \d+, reports 12, cells \d+, findings \d+, statements \d+ rows\) from .+ → .+ in [\d.]+ s\n$/);
    const json = JSON.parse((await ogi('export', '--format', 'csv', '--store', store, '--out', join(tmp, 'export-json'), '--json')).stdout) as { tables: Record<string, number> };
    expect(json.tables.reports).toBe(12);
    expect((await ogi('export', '--format', 'csv', '--store', store, '--out', join(tmp, 'export-quiet'), '-q')).stdout).toBe('');
  });
});

describe('interrupted run', () => {
  it('Ctrl-C removes the unfinished outputs and leaves the earlier ones as they were', async () => {
    const { runSynth } = await import('../../src/synth/index.js');
    const corpus = join(tmp, 'synth');
    await runSynth({ n: 300, seed: 5, out: corpus });
    const out = join(tmp, 'sigint');
    await mkdir(out);
    await writeFile(join(out, 'manifest.csv'), 'earlier run\n');
    const bin = fileURLToPath(new URL('../../bin/ogi.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'parse', corpus, '--out', out, '--no-cache', '--jobs', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The temp files appear when the run starts writing; interrupt as soon as they exist.
    const started = Date.now();
    while (!(await readdir(out)).some((f) => f.endsWith('.tmp')) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupted');
    expect((await readdir(out)).filter((f) => !f.startsWith('.ogi-cache'))).toEqual(['manifest.csv']);
    expect(await readFile(join(out, 'manifest.csv'), 'utf8')).toBe('earlier run\n');
  });
});

describe('bin/ogi.js', () => {
  it('runs without a build; piped output has the JSON summary only and no progress bar', async () => {
    const bin = fileURLToPath(new URL('../../bin/ogi.js', import.meta.url));
    const out = join(tmp, 'bin');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, 'parse', join(FIXTURES, 'reports', '134.txt'), '--out', out, '--json', '--no-cache', '--jobs', '1'], { timeout: 90_000 }, (err, so, se) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout: so, stderr: se }),
      );
    });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ command: 'parse', files: 1, reports: 1 });
    expect(stderr).not.toMatch(/█|░|\d+%/);
    checkContract(readOutputs(out));
  });
});

describe('bin/ogi.js picks the build or the sources', () => {
  it('runs dist/ while its build stamp is newer than every file under src/, else src/ through tsx', async () => {
    const proj = join(tmp, 'bin-choice');
    await mkdir(join(proj, 'bin'), { recursive: true });
    await mkdir(join(proj, 'src', 'cli'), { recursive: true });
    await mkdir(join(proj, 'dist', 'cli'), { recursive: true });
    await writeFile(join(proj, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(proj, 'bin', 'ogi.js'), await readFile(fileURLToPath(new URL('../../bin/ogi.js', import.meta.url))));
    await symlink(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(proj, 'node_modules'));
    await writeFile(join(proj, 'src', 'cli', 'main.ts'), "export async function run(): Promise<void> { console.log('source'); }\n");
    await writeFile(join(proj, 'dist', 'cli', 'main.js'), "export async function run() { console.log('built'); }\n");
    const which = () => new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [join(proj, 'bin', 'ogi.js')], { timeout: 30_000 }, (err, so, se) => (err ? reject(new Error(se)) : resolve(so.trim()))),
    );
    const at = (path: string, seconds: number) => utimes(path, seconds, seconds);
    const now = Math.floor(Date.now() / 1000);
    expect(await which()).toBe('source'); // no stamp: never built
    await writeFile(join(proj, 'dist', '.build-stamp'), 'x\n');
    // An editor's lock file: a dangling link, which must not stop ogi.
    await symlink(join(proj, 'nowhere'), join(proj, 'src', 'cli', '.#main.ts'));
    for (const p of [join(proj, 'src', 'cli', 'main.ts'), join(proj, 'src', 'cli'), join(proj, 'src')]) await at(p, now - 60);
    await at(join(proj, 'dist', '.build-stamp'), now - 30);
    expect(await which()).toBe('built');
    await at(join(proj, 'src', 'cli', 'main.ts'), now); // edited after the build
    expect(await which()).toBe('source');
    await at(join(proj, 'src', 'cli', 'main.ts'), now - 60);
    await writeFile(join(proj, 'src', 'gone.ts'), '');
    await rm(join(proj, 'src', 'gone.ts')); // removed after the build: only its folder's time says so
    expect(await which()).toBe('source');
    await rm(join(proj, 'src'), { recursive: true }); // an installed package: dist/ only
    expect(await which()).toBe('built');
  }, 60_000);
});

describe('ogi themes --nlp-workers', () => {
  it('gives the same statements, themes and copy marks as NLP on the main thread', async () => {
    const inputs = [join(FIXTURES, 'seed'), join(FIXTURES, 'reports', '133.txt'), join(FIXTURES, 'reports', '134.txt')];
    const main = await ogi('themes', ...inputs, '--out', join(tmp, 'nlp-main'), '--no-cache', '--jobs', '2', '--quiet');
    const workers = await ogi('themes', ...inputs, '--out', join(tmp, 'nlp-workers'), '--no-cache', '--jobs', '2', '--quiet', '--nlp-workers');
    expect([main.code, workers.code]).toEqual([0, 0]);
    for (const f of ['statements.jsonl', 'themes.csv', 'reports.jsonl']) {
      const a = await readFile(join(tmp, 'nlp-main', f), 'utf8');
      expect(a.split('\n').length).toBeGreaterThan(5);
      expect(await readFile(join(tmp, 'nlp-workers', f), 'utf8')).toBe(a);
    }
  }, 120_000);
});
