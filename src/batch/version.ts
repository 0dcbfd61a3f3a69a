/**
 * Version strings of the cached stages. A cached result is only reused under the same version, so they
 * are fingerprints of the code and data that produce the result: any edit of the parser, the checks or
 * a label table (or of the NLP code, taxonomy, dictionaries, user words) invalidates what was stored.
 *
 * The fingerprints are taken over the TypeScript sources. A build (dist/) carries the ones of the
 * sources it was compiled from (dist/.versions.json, written by `npm run build`), so the build and the
 * sources of the same code share one store and one unchanged re-run; a build without that file (or an
 * older layout) hashes its own files, which is safe but never matches the sources.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NlpOptions } from '../nlp/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** src/ (or dist/) */
const codeRoot = dirname(here);
const BUILD_VERSIONS = '.versions.json';

/** Parts of the tree whose content decides a parse result. */
const PARSE_PARTS = ['ingest', 'parse', 'validate', 'model', 'pipeline/parse', 'data'];
/** Parts of the tree whose content decides statements (beyond the parse). */
const NLP_PARTS = ['nlp', 'data'];
/** The whole tree: what decides the outputs of a whole command (analysis and rendering included). */
const ALL_PARTS = [''];

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

function partPaths(root: string, part: string): string[] {
  // 'pipeline/parse' names a module: its .ts or .js file.
  const base = join(root, part);
  return [base, `${base}.ts`, `${base}.js`];
}

/** sha256 over the relative names and bytes of the given parts of the tree under root (hex, 16 chars). */
function treeFingerprint(root: string, parts: string[]): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const part of parts) for (const p of partPaths(root, part)) listFiles(p, files);
  for (const file of files) {
    hash.update(file.slice(root.length));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

interface CodeVersions {
  parse: string;
  nlp: string;
  all: string;
}

function fingerprints(root: string): CodeVersions {
  return { parse: treeFingerprint(root, PARSE_PARTS), nlp: treeFingerprint(root, NLP_PARTS), all: treeFingerprint(root, ALL_PARTS) };
}

/** The build's record of its sources' fingerprints, when this code runs from such a build. */
function buildVersions(): CodeVersions | null {
  const file = join(codeRoot, BUILD_VERSIONS);
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<CodeVersions>;
    return typeof v.parse === 'string' && typeof v.nlp === 'string' && typeof v.all === 'string' ? { parse: v.parse, nlp: v.nlp, all: v.all } : null;
  } catch {
    return null;
  }
}

let codeMemo: CodeVersions | null = null;
function codeVersions(): CodeVersions {
  return (codeMemo ??= buildVersions() ?? fingerprints(codeRoot));
}

/**
 * Run by `npm run build` from the compiled code: records the fingerprints of the sources in `sourceRoot`
 * beside the build (in this build's root), so the build's versions are those of its sources.
 */
export function writeBuildVersions(sourceRoot: string): CodeVersions {
  const versions = fingerprints(sourceRoot);
  writeFileSync(join(codeRoot, BUILD_VERSIONS), JSON.stringify(versions) + '\n');
  return versions;
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

/**
 * Version of parse results: code + data of ingest, parse, validate, the record model, and the installed
 * versions of the dependencies that read the inputs (PARSE_DEPENDENCIES).
 */
export function parseVersion(): string {
  parseVersionMemo ??= pinned('p1') ?? `p1-${codeVersions().parse}-${dependencyDigest(PARSE_DEPENDENCIES)}`;
  return parseVersionMemo;
}

/** The runtime dependencies that read the inputs (ingest, parse): an update may read a file differently. */
export const PARSE_DEPENDENCIES = ['cheerio', 'iconv-lite', 'jschardet', 'jsonc-parser', 'mammoth', 'opencc-js', 'pdfjs-dist'];
/** The runtime dependencies of the NLP stage. */
export const NLP_DEPENDENCIES = ['natural', 'nodejieba'];

/** A short hash of the installed versions of these dependencies, for the store's versions. */
function dependencyDigest(names: readonly string[]): string {
  return createHash('sha256').update(names.map(installedAs).join(' ')).digest('hex').slice(0, 8);
}

const installed = new Map<string, string>();
/** name@version as installed, found as Node would (node_modules up from the code); read once a process. */
function installedAs(name: string): string {
  let label = installed.get(name);
  if (label === undefined) installed.set(name, (label = `${name}@${installedVersion(name)}`));
  return label;
}

function installedVersion(name: string): string {
  for (let dir = dirname(codeRoot); ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      try {
        return String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version);
      } catch {
        return 'unreadable';
      }
    }
    if (dirname(dir) === dir) return 'missing';
  }
}

/** name@version of every runtime dependency in package.json: they draw the charts, write the xlsx, cut words. */
export function dependencyVersions(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(codeRoot), 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    return Object.keys(pkg.dependencies ?? {})
      .sort()
      .map(installedAs)
      .join(' ');
  } catch {
    return 'unknown';
  }
}

let codeVersionMemo: string | null = null;

/**
 * Version of a whole command's outputs (themes, report, audit): every file of the code and its data,
 * since analysis and rendering shape them too, and the installed versions of the runtime dependencies
 * (an `npm update` of vega or exceljs changes the charts or the workbook). Taken when first asked, not
 * at build time: the dependencies can change after a build. Used by the run fingerprint, never by the
 * store.
 */
export function codeVersion(): string {
  const pin = pinned('c1');
  if (pin) return pin;
  codeVersionMemo ??= `c1-${createHash('sha256').update(codeVersions().all).update('\0').update(dependencyVersions()).digest('hex').slice(0, 16)}`;
  return codeVersionMemo;
}

/** sha256 of an option file's bytes ('' when none is given; a marker naming it when it cannot be read). */
export function fileDigest(path: string | undefined): string {
  if (!path) return '';
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return `unreadable:${path}`;
  }
}

/**
 * Version of statements: NLP code and data, the installed NLP dependencies (nodejieba, natural), plus the
 * options of the run's Nlp: the bytes of its taxonomy, dictionary, stopword and training files, its
 * words, stopwords, training statements and classifier parameters.
 */
export function nlpVersion(opts: Readonly<NlpOptions> = {}): string {
  const pin = pinned('n1');
  const hash = createHash('sha256').update(pin ? '' : `${codeVersions().nlp}\u0001${dependencyDigest(NLP_DEPENDENCIES)}`);
  const parts = [
    fileDigest(opts.taxonomyPath),
    fileDigest(opts.dictPath),
    fileDigest(opts.stopwordsPath),
    JSON.stringify(opts.words ?? []),
    JSON.stringify(opts.stopwords ?? []),
    fileDigest(opts.trainingPath),
    JSON.stringify(opts.training ?? null),
    JSON.stringify(opts.params ?? null),
  ];
  for (const e of parts) hash.update(`\u0001${e}`);
  return `${pin ?? 'n1'}-${hash.digest('hex').slice(0, 16)}`;
}
