/**
 * `ogi synth --n N --seed S --out DIR`: a synthetic corpus of annual reports with their truth, for scale
 * benchmarks and accuracy regression tests.
 *
 * Writes DIR/NNN/NNNNNN.txt (1000 files per folder, names sort in generation order) and
 * DIR/truth.jsonl (one SynthTruth per file, `file` relative to DIR). Same seed → same bytes.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { JsonlWriter } from '../io/writers.js';
import { ensureWritableDir } from '../io/outdir.js';
import { UsageError } from '../model/errors.js';
import {
  SYNTH_LAYOUTS,
  generateReport,
  type GenerateOptions,
  type SynthLayout,
  type SynthReport,
  type SynthTruth,
  type TableRenderer,
} from './generate.js';
import { renderTable } from './layouts.js';

export { generateReport, SYNTH_LAYOUTS, ERROR_KINDS, ERROR_RULES } from './generate.js';
export type { SynthLayout, SynthReport, SynthTruth, SynthStatement, TableRenderer, ErrorKind } from './generate.js';
export { Rng } from './rng.js';

export interface SynthOptions {
  n: number;
  seed?: number;
  out: string;
  /** Share of reports with one injected error (default 0.2). */
  errorRate?: number;
  /** Share of pre-2019 prose reports (default 0.2). */
  proseShare?: number;
  /** Restrict the table layouts. */
  layouts?: readonly SynthLayout[];
}

export interface SynthSummary {
  command: 'synth';
  n: number;
  seed: number;
  out: string;
  bytes: number;
  renderer: string;
  templates: Record<string, number>;
  layouts: Record<string, number>;
  injected: Record<string, number>;
  elapsed_ms: number;
}

export interface Renderer {
  render: TableRenderer;
  /** Layouts it can print. */
  layouts: readonly SynthLayout[];
  /** Where it comes from (for summaries). */
  name: string;
}

/** The table renderers of src/synth/layouts.ts (every layout the parser reads). */
export async function loadRenderer(): Promise<Renderer> {
  return { render: renderTable, layouts: SYNTH_LAYOUTS, name: 'layouts.ts' };
}

/** Relative file name of report i: "000/000123.txt". */
export function synthFileName(i: number): string {
  return `${String(Math.floor(i / 1000)).padStart(3, '0')}/${String(i).padStart(6, '0')}.txt`;
}

/** Reports start..start+n-1 of the corpus with this seed, generated one at a time. */
export function* synthReports(
  n: number,
  opts: Omit<GenerateOptions, 'renderTable'> & { renderer: Renderer },
  start = 0,
): Generator<SynthReport> {
  const layouts = opts.layouts ? opts.layouts.filter((l) => opts.renderer.layouts.includes(l)) : opts.renderer.layouts;
  if (layouts.length === 0) throw new Error(`none of the layouts ${opts.layouts?.join(', ')} can be rendered by ${opts.renderer.name}`);
  for (let i = start; i < start + n; i++) {
    const report = generateReport(i, { ...opts, layouts, renderTable: opts.renderer.render });
    report.truth.file = synthFileName(i);
    yield report;
  }
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** Writes the corpus and truth.jsonl into opts.out. */
export async function runSynth(opts: SynthOptions): Promise<{ summary: SynthSummary }> {
  const started = Date.now();
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new Error(`--n must be a positive whole number (got ${opts.n})`);
  const seed = opts.seed ?? 1;
  const out = resolve(opts.out);
  await ensureWritableDir(out);
  // A corpus written over another would mix in reports its truth.jsonl does not describe.
  const present = (await readdir(out)).filter((name) => !name.startsWith('.'));
  if (present.length) throw new UsageError(`--out ${out} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): synth writes a corpus into a new or empty folder`);
  const renderer = await loadRenderer();
  const summary: SynthSummary = {
    command: 'synth',
    n: opts.n,
    seed,
    out,
    bytes: 0,
    renderer: renderer.name,
    templates: {},
    layouts: {},
    injected: {},
    elapsed_ms: 0,
  };
  const truth = await JsonlWriter.open<SynthTruth>(join(out, 'truth.jsonl'));
  try {
    let folder = '';
    for (const report of synthReports(opts.n, { seed, errorRate: opts.errorRate, proseShare: opts.proseShare, layouts: opts.layouts, renderer })) {
      const file = report.truth.file;
      const dir = file.slice(0, file.indexOf('/'));
      if (dir !== folder) {
        await mkdir(join(out, dir), { recursive: true });
        folder = dir;
      }
      const bytes = Buffer.from(report.text, 'utf8');
      await writeFile(join(out, file), bytes);
      summary.bytes += bytes.length;
      bump(summary.templates, report.truth.template);
      bump(summary.layouts, report.truth.layout);
      for (const e of report.truth.injected) bump(summary.injected, e.kind);
      await truth.write(report.truth);
    }
    await truth.close();
  } catch (err) {
    await truth.abort();
    throw err;
  }
  summary.elapsed_ms = Date.now() - started;
  return { summary };
}
