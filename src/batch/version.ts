/**
 * Version strings of the cached stages. A cached result is only reused under the same version, so they
 * are fingerprints of the code and data that produce the result: any edit of the parser, the checks or
 * a label table (or of the NLP code, taxonomy, dictionaries, user words) invalidates what was stored.
 * Works from source (src/…/*.ts) and from a build (dist/src/…/*.js) alike: it hashes what runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** src/ (or dist/src/) */
const srcRoot = dirname(here);

/** Parts of the tree whose content decides a parse result. */
const PARSE_PARTS = ['ingest', 'parse', 'validate', 'model', 'pipeline/parse', 'data'];
/** Parts of the tree whose content decides statements (beyond the parse). */
const NLP_PARTS = ['nlp', 'data'];

function listFiles(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isFile()) {
    out.push(path);
    return;
  }
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path).sort()) {
    // synth-* data feeds the corpus generator only, never a parse.
    if (name.startsWith('.') || name.startsWith('synth') || name.endsWith('.map') || name.endsWith('.md')) continue;
    listFiles(join(path, name), out);
  }
}

function partPaths(part: string): string[] {
  // 'pipeline/parse' names a module: its .ts or .js file.
  const base = join(srcRoot, part);
  return [base, `${base}.ts`, `${base}.js`];
}

/** sha256 over the relative names and bytes of the given parts of the tree, plus extra strings. */
export function fingerprint(parts: string[], extra: string[] = []): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const part of parts) for (const p of partPaths(part)) listFiles(p, files);
  for (const file of files) {
    hash.update(file.slice(srcRoot.length));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  for (const e of extra) hash.update(`\u0001${e}`);
  return hash.digest('hex').slice(0, 16);
}

let parseVersionMemo: string | null = null;

/**
 * OGI_CACHE_VERSION pins both versions to a given string instead of the code fingerprint: for a
 * benchmark while the tree is being edited, or an install that ships without its source. Whoever sets
 * it takes over invalidation (change the value when the code changes).
 */
function pinned(prefix: string): string | null {
  const v = process.env.OGI_CACHE_VERSION;
  return v ? `${prefix}-pinned-${v}` : null;
}

/** Version of parse results: code + data of ingest, parse, validate, the record model. */
export function parseVersion(): string {
  parseVersionMemo ??= pinned('p1') ?? `p1-${fingerprint(PARSE_PARTS)}`;
  return parseVersionMemo;
}

/** What the user can change about the NLP stage from the command line. */
export interface NlpVersionInput {
  taxonomy?: string;
  dict?: string;
  stopwordsFile?: string;
  words?: string[];
  stopwords?: string[];
}

function fileContent(path: string | undefined): string {
  if (!path) return '';
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return `unreadable:${path}`;
  }
}

/** Version of statements: NLP code and data plus the run's taxonomy, dictionary, words and stopwords. */
export function nlpVersion(opts: NlpVersionInput = {}): string {
  const pin = pinned('n1');
  return `${pin ?? 'n1'}-${fingerprint(pin ? [] : NLP_PARTS, [
    fileContent(opts.taxonomy),
    fileContent(opts.dict),
    fileContent(opts.stopwordsFile),
    JSON.stringify(opts.words ?? []),
    JSON.stringify(opts.stopwords ?? []),
  ])}`;
}
