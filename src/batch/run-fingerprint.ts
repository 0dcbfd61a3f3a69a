/**
 * The run fingerprint: what an output folder was made from, so an unchanged re-run can leave it alone.
 *
 * A completed run of `ogi parse` (and of `themes`, `report` and `audit`, through
 * src/pipeline/fingerprint.ts) writes `<out>/.ogi-run.json` last (atomically): the command, the code
 * versions and options that shape its outputs, every input's (path, size, mtime, sha256) in input
 * order, the size and mtime of every output file as written, and the run's summary figures. The next
 * run of the same command with the same inputs, versions and options, finding every output file present
 * with the recorded size and mtime, rewrites nothing (the outputs would come out the same, but for the
 * time a report states it was generated). Any difference — a grown, shrunk, reordered or edited corpus,
 * other code, other options or option files, an output edited or removed — means a full run, which
 * removes the old fingerprint before it writes anything.
 *
 * Input bytes are identified like the store does (README "store"): a path whose size and mtime are the
 * recorded ones is trusted to hold the recorded bytes (as git does); otherwise it is hashed and
 * compared, so a merely touched file still counts as unchanged.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import type { ManifestRow, ManifestStatus, Severity } from '../model/types.js';
import type { InputFileIdentity } from '../ingest/read.js';

export const RUN_FINGERPRINT_FILE = '.ogi-run.json';
const FORMAT = 1;
/** Files up to this size are hashed from one read; larger ones are streamed. */
const READ_WHOLE = 4 * 1024 * 1024;

/** sha256 of a file (hex), never more than a few MB of it in memory. */
export async function hashFile(path: string, size?: number): Promise<string> {
  const hash = createHash('sha256');
  if (size !== undefined && size <= READ_WHOLE) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One input as the fingerprint records it: size, mtime and sha256, as readInput reports them. */
export type InputIdentity = InputFileIdentity;

/** An input path with the identity of the bytes a run read from it. */
export interface IdentifiedInput {
  path: string;
  identity: InputIdentity;
}

/**
 * The hash recorded for a file over the size limit. Its outcome (failed: too large, naming its size)
 * depends on its size alone, so it is not read: size and mtime identify it, and a changed mtime means
 * a full run (no hash to compare).
 */
export const NOT_READ_TOO_LARGE = 'not-read:too-large';

/**
 * Identity of an input file now; null when it cannot be read (such a run is never skipped). A file
 * larger than `maxBytes` is not hashed (NOT_READ_TOO_LARGE).
 */
export async function identifyInput(path: string, maxBytes = Infinity): Promise<InputIdentity | null> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return null;
    const hash = st.size > maxBytes ? NOT_READ_TOO_LARGE : await hashFile(path, st.size);
    return { size: st.size, mtimeMs: st.mtimeMs, hash };
  } catch {
    return null;
  }
}

/** The summary figures a skipped run reports (those of the run that wrote the outputs). */
export interface RecordedSummary {
  status: Record<ManifestStatus, number>;
  reports: number;
  findings: { total: number; by_severity: Record<Severity, number>; by_rule: Record<string, number> };
}

interface FingerprintFile {
  format: number;
  command: string;
  parse_version: string;
  options: Record<string, unknown>;
  /** [path, size, mtimeMs, sha256] in input order. */
  inputs: [string, number, number, string][];
  /** output file name → [size, mtimeMs] */
  outputs: Record<string, [number, number]>;
  summary: RecordedSummary;
}

/**
 * A manifest row whose failure may not happen again (a timeout, a crashed worker, a locked or
 * unreadable file): a run that had one is not a fingerprint to trust — the next run tries again,
 * as the store, which never caches failures, would.
 */
export function isTransientFailure(row: ManifestRow): boolean {
  return row.status === 'failed' && /timed out|cancelled|worker crashed|internal error|no result from the executor|E(?:ACCES|BUSY|PERM|MFILE|NFILE|IO|AGAIN)\b/.test(row.message);
}

export interface FingerprintKey {
  command: string;
  parseVersion: string;
  /** Options that shape the outputs (not --jobs: the outputs do not depend on it). */
  options: Record<string, unknown>;
}

/** Canonical JSON of an options object (keys sorted, undefined dropped) for comparison. */
function canonical(o: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * The recorded summary when `out` holds the outputs of a run over exactly these inputs with this key
 * and none of its outputs has been touched since; null when a full run is needed.
 */
export async function upToDate(out: string, paths: readonly string[], key: FingerprintKey, outputs: readonly string[]): Promise<RecordedSummary | null> {
  return (await recordedRun(out, paths, key, outputs))?.summary ?? null;
}

/**
 * As upToDate, for a command whose output files are known only once it has run (a report's charts):
 * the outputs checked are the ones the fingerprint lists. Gives those names with the summary.
 */
export async function upToDateOutputs(out: string, paths: readonly string[], key: FingerprintKey): Promise<{ summary: RecordedSummary; outputs: string[] } | null> {
  return recordedRun(out, paths, key, null);
}

/** The fingerprint of `out` when it matches (null `outputs`: whichever it lists), else null. */
async function recordedRun(
  out: string,
  paths: readonly string[],
  key: FingerprintKey,
  expected: readonly string[] | null,
): Promise<{ summary: RecordedSummary; outputs: string[] } | null> {
  let fp: FingerprintFile;
  try {
    fp = JSON.parse(await readFile(join(out, RUN_FINGERPRINT_FILE), 'utf8')) as FingerprintFile;
  } catch {
    return null;
  }
  if (fp.format !== FORMAT || fp.command !== key.command || fp.parse_version !== key.parseVersion) return null;
  if (canonical(fp.options) !== canonical(key.options)) return null;
  if (!Array.isArray(fp.inputs) || fp.inputs.length !== paths.length) return null;
  const names = Object.keys(fp.outputs ?? {});
  if (expected && (names.length !== expected.length || expected.some((o) => !(o in fp.outputs)))) return null;
  const outputs = expected ?? names;
  if (outputs.length === 0) return null;
  for (const name of outputs) {
    try {
      const st = await stat(join(out, name));
      const [size, mtimeMs] = fp.outputs[name];
      if (!st.isFile() || st.size !== size || st.mtimeMs !== mtimeMs) return null;
    } catch {
      return null;
    }
  }
  for (let i = 0; i < paths.length; i++) {
    const [path, size, mtimeMs, hash] = fp.inputs[i];
    if (path !== paths[i]) return null;
    // Blocking stats, in slices: 100k awaited ones (a thread-pool round trip each) were ~90% of an
    // unchanged re-run; a library caller's event loop still gets a turn every few thousand.
    if (i % 2000 === 1999) await new Promise((resolve) => setImmediate(resolve));
    let st;
    try {
      st = statSync(path);
    } catch {
      return null;
    }
    if (st.size !== size) return null;
    if (st.mtimeMs === mtimeMs) continue;
    if (hash === NOT_READ_TOO_LARGE) return null;
    // Touched, maybe not changed: the bytes decide.
    try {
      if ((await hashFile(path, st.size)) !== hash) return null;
    } catch {
      return null;
    }
  }
  return { summary: fp.summary, outputs: [...outputs] };
}

/** Removes the fingerprint of `out` (a full run starts by this: its outputs are about to change). */
export async function clearFingerprint(out: string): Promise<void> {
  await rm(join(out, RUN_FINGERPRINT_FILE), { force: true });
}

/**
 * Writes the fingerprint once every output is in place. `inputs` are in input order, every one
 * identified (a run with an unreadable input leaves none: the next run must look again).
 */
export async function writeFingerprint(
  out: string,
  key: FingerprintKey,
  inputs: readonly IdentifiedInput[],
  outputs: readonly string[],
  summary: RecordedSummary,
): Promise<boolean> {
  const outputStats: Record<string, [number, number]> = {};
  for (const name of outputs) {
    const st = await stat(join(out, name));
    outputStats[name] = [st.size, st.mtimeMs];
  }
  const fp: FingerprintFile = {
    format: FORMAT,
    command: key.command,
    parse_version: key.parseVersion,
    options: key.options,
    inputs: inputs.map(({ path, identity }) => [path, identity.size, identity.mtimeMs, identity.hash]),
    outputs: outputStats,
    summary,
  };
  await writeFileAtomic(join(out, RUN_FINGERPRINT_FILE), JSON.stringify(fp));
  return true;
}
