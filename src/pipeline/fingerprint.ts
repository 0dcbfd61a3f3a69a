/**
 * Unchanged re-runs of the commands after parse (`themes`, `report`, `audit`): the run fingerprint of
 * src/batch/run-fingerprint.ts, keyed by everything that shapes their outputs.
 *
 *   const fp = commandFingerprint('report', inputs, opts);
 *   const skipped = await fp.upToDate();     // RunSummary with up_to_date, or null
 *   if (!skipped) await fp.record(await runReport(inputs, opts));
 *
 * runParse skips an unchanged plain parse by itself. The later stages cannot: their callers usually
 * want the records, statements or analysis in memory, which a skipped run does not have. So the skip
 * is the caller's choice (the CLI makes it, since it keeps nothing but the summary), and this module
 * gives the check before the run and the record after it.
 *
 * The key: the command; the whole code's version (analysis and rendering shape the outputs too); the
 * NLP version with the bytes of --taxonomy / --dict / --stopwords-file and the extra words (or the
 * options of the Nlp the run is given; one without them makes the run unfingerprinted); the
 * per-file limits; for report and audit the analysis options (--by, --since, --until, --filter, and
 * the bytes of --groups / --weights) and the input arguments as given, which the report states.
 * Not --jobs, --nlp-workers or --store: the outputs do not depend on them.
 */
import { join, relative, resolve } from 'node:path';
import { listInputs } from '../ingest/index.js';
import { upToDateOutputs, writeFingerprint, type FingerprintKey } from '../batch/run-fingerprint.js';
import { codeVersion, fileDigest, nlpVersion, parseVersion } from '../batch/version.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, nlpOptionsOf, type AnalyzeOptions, type NlpRunOptions, type RunOptions } from './options.js';
import type { Nlp } from '../nlp/index.js';
import type { ParseProgress, ParseRun, RunSummary } from './parse.js';

export type FingerprintedCommand = 'themes' | 'report' | 'audit';

export type FingerprintOptions = RunOptions &
  NlpRunOptions &
  AnalyzeOptions & {
    /** The Nlp the run is given, if any: its options key the statements (none: the run is not fingerprinted). */
    nlp?: Pick<Nlp, 'options'>;
    /** Audit deduction weights: a JSON file, or the weights themselves. */
    weights?: string | object;
    onStart?: (paths: readonly string[]) => void;
    onProgress?: (p: ParseProgress) => void;
  };

export interface CommandFingerprint {
  /**
   * The summary of the run that wrote --out (with up_to_date) when the same command over the same
   * inputs, code and options wrote it and none of its outputs has changed since; null when a run is
   * needed (always with --no-cache). Reads and writes nothing in --out.
   */
  upToDate(): Promise<RunSummary | null>;
  /**
   * Records a finished run of this command (after its last output is written): true when recorded.
   * Nothing is recorded for a run without ParseRun.sources (--no-cache, a lost or transient failure).
   */
  record(run: Pick<ParseRun, 'summary' | 'sources'>): Promise<boolean>;
}

/** The key of a run, or null when it cannot be known: an Nlp given without its options (see Nlp.options). */
function keyOf(command: FingerprintedCommand, inputs: readonly string[], opts: FingerprintOptions): FingerprintKey | null {
  // A given Nlp decides the statements, whatever the NLP flags say.
  const nlp = opts.nlp ? opts.nlp.options : nlpOptionsOf(opts);
  if (!nlp) return null;
  const options: Record<string, unknown> = {
    code: codeVersion(),
    nlp: nlpVersion(nlp),
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  if (command !== 'themes') {
    Object.assign(options, {
      inputs: [...inputs],
      by: opts.by,
      since: opts.since,
      until: opts.until,
      filter: opts.filter,
    });
  }
  if (command === 'audit') {
    options.groups = opts.groups === undefined ? undefined : fileDigest(opts.groups);
    options.weights = typeof opts.weights === 'string' ? fileDigest(opts.weights) : opts.weights;
  }
  return { command, parseVersion: parseVersion(), options };
}

/** The fingerprint of one run of `command` over `inputs` into opts.out. The key is taken now. */
export function commandFingerprint(command: FingerprintedCommand, inputs: readonly string[], opts: FingerprintOptions): CommandFingerprint {
  const enabled = opts.cache !== false;
  const key = enabled ? keyOf(command, inputs, opts) : null;
  const out = resolve(opts.out);
  return {
    async upToDate() {
      if (!key) return null;
      const started = Date.now();
      const paths = await listInputs([...inputs], { excludeDirs: [out] });
      const found = await upToDateOutputs(out, paths, key);
      if (!found) return null;
      opts.onStart?.(paths);
      if (paths.length) opts.onProgress?.({ done: paths.length, total: paths.length, path: paths[paths.length - 1], status: 'ok' });
      return {
        command,
        out,
        files: paths.length,
        ...found.summary,
        outputs: found.outputs.map((name) => join(out, name)),
        elapsed_ms: Date.now() - started,
        up_to_date: true,
      };
    },
    async record(run) {
      if (!key || !run.sources) return false;
      const { status, reports, findings } = run.summary;
      const outputs = run.summary.outputs.map((file) => relative(run.summary.out, file));
      return writeFingerprint(run.summary.out, key, run.sources, outputs, { status, reports, findings });
    },
  };
}
