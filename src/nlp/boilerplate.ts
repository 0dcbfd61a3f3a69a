/**
 * Copied text: near-duplicate statements across reports, and whole section 五 copied from the same
 * agency's previous year.
 *
 * Statements: MinHash + LSH banding on token 3-shingles finds candidates without comparing every pair;
 * the exact Jaccard of the shingle sets decides. Short statements (few shingles, where Jaccard is
 * brittle) are compared with natural's Jaro-Winkler within buckets of the same opening characters.
 * The source is the earliest report (by year, then id); its own statement keeps boilerplate = null.
 *
 * CopyIndex does this one report and one statement at a time without holding them (streamed runs of
 * 100k reports); markBoilerplate is the same over arrays.
 */
import { Buffer } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Finding, NarrativeSource, ReportRecord, Statement } from '../model/types.js';
import { stripMarker } from './split.js';

const require = createRequire(import.meta.url);
type JaroWinklerFn = (a: string, b: string, options?: { ignoreCase?: boolean }) => number;
// By module path: natural's root import prints dotenv notices.
const JaroWinklerDistance = require('natural/lib/natural/distance/jaro-winkler_distance.js') as JaroWinklerFn;

export interface BoilerplateOptions {
  /** Jaccard of token 3-shingles at or above which two statements are copies. */
  jaccard?: number;
  /** Statements with at most this many characters are compared by Jaro-Winkler. */
  shortChars?: number;
  /** Jaro-Winkler similarity at or above which two short statements are copies. */
  jaroWinkler?: number;
  /** Jaccard of character 4-shingles of the whole section 五 at or above which it is a copy. */
  sectionJaccard?: number;
}

export interface SectionCopy {
  report_id: string;
  /** The same agency's earlier report whose section 五 was copied. */
  of: string;
  of_year: number | null;
  year: number | null;
  similarity: number;
  finding: Finding;
}

const DEFAULTS: Required<BoilerplateOptions> = { jaccard: 0.8, shortChars: 20, jaroWinkler: 0.93, sectionJaccard: 0.8 };

const YEARS = /\d{4}\s*年度?/gu;

/** Text compared for copying: enumeration marker and years removed (copies change "2019年" to "2020年"). */
function comparable(text: string): string {
  return stripMarker(text).replace(YEARS, '#年').replace(/[\s\p{P}]/gu, '');
}

function tokenShingles(tokens: string[], n = 3): Set<string> {
  const toks = tokens.map((t) => (/^\d{4}$/.test(t) ? '#' : t));
  if (toks.length < n) return new Set(toks.length ? [toks.join('\u0001')] : []);
  const out = new Set<string>();
  for (let i = 0; i + n <= toks.length; i++) out.add(toks.slice(i, i + n).join('\u0001'));
  return out;
}

function charShingles(text: string, n = 4): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= text.length; i++) out.add(text.slice(i, i + n));
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [s, l] = a.size < b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const x of s) if (l.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** 32-bit FNV-1a of a string's code units (shingles → MinHash input; sampling ranks in discover.ts). */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const NUM_HASHES = 64;
const BANDS = 16; // 4 rows a band: pairs with Jaccard ≳ 0.6 become candidates with high probability
const ROWS = NUM_HASHES / BANDS;
const SALTS = Array.from({ length: NUM_HASHES }, (_, i) => [Math.imul(i + 1, 0x9e3779b1) >>> 0, Math.imul(i + 7, 0x85ebca6b) >>> 0]);

function minhash(shingles: Set<string>): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (const sh of shingles) {
    const h = fnv(sh);
    for (let i = 0; i < NUM_HASHES; i++) {
      const v = (Math.imul(h ^ SALTS[i][0], 0x2c1b3c6d) + SALTS[i][1]) >>> 0;
      if (v < sig[i]) sig[i] = v;
    }
  }
  return sig;
}

/** A typed array that doubles when full: per-statement and per-group numbers without objects. */
class Growable<A extends Int32Array | Uint32Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (size: number) => A,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      (next as Uint32Array).set(this.data as Uint32Array);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}
const int32s = (): Growable<Int32Array> => new Growable(new Int32Array(1024), (n) => new Int32Array(n));
const uint32s = (): Growable<Uint32Array> => new Growable(new Uint32Array(1024), (n) => new Uint32Array(n));

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Three independent 32-bit hashes of a text in one pass: a 52-bit table key and a 32-bit check, so
 * two distinct texts share a group only if 84 bits collide.
 */
function textHash(s: string): { key: number; check: number } {
  let a = 0x811c9dc5 ^ s.length;
  let b = 0x9747b28c;
  let c = 0x2545f491;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x5bd1e995);
    b ^= b >>> 15;
    c = Math.imul((c + ch) | 0, 0x27d4eb2d);
    c ^= c >>> 13;
  }
  return { key: (fmix32(a) >>> 12) * 0x100000000 + fmix32(b), check: fmix32(c ^ s.length) };
}

/** Open-addressing table (52-bit key, 32-bit check) → group id, in typed arrays. */
class GroupTable {
  private keys = new Float64Array(1 << 12).fill(-1);
  private checks = new Uint32Array(1 << 12);
  private groups = new Int32Array(1 << 12);
  private size = 0;

  /** The group of the text with this hash; when there is none, `fresh` becomes it. */
  findOrAdd(key: number, check: number, fresh: number): number {
    if (this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let at = (key % 0x100000000 ^ Math.floor(key / 0x100000000)) & mask; ; at = (at + 1) & mask) {
      const k = this.keys[at];
      if (k === -1) {
        this.keys[at] = key;
        this.checks[at] = check;
        this.groups[at] = fresh;
        this.size++;
        return fresh;
      }
      if (k === key && this.checks[at] === check) return this.groups[at];
    }
  }

  private grow(): void {
    const { keys, checks, groups } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.checks = new Uint32Array(keys.length * 2);
    this.groups = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.findOrAdd(keys[i], checks[i], groups[i]);
  }

  get bytes(): number {
    return this.keys.byteLength + this.checks.byteLength + this.groups.byteLength;
  }
}

/** 32-bit key of one LSH band (ROWS minhash values); equal keys are verified before they count. */
function bandKey(sig: Uint32Array, band: number): number {
  let h = Math.imul(band + 1, 0x9e3779b1);
  for (let r = band * ROWS; r < (band + 1) * ROWS; r++) {
    h = Math.imul(h ^ sig[r], 0x01000193);
    h = (h << 13) | (h >>> 19);
  }
  return fmix32(h);
}

/** Group ids sorted by a 32-bit key, stable (two 16-bit counting passes): runs of equal keys in id order. */
function sortByKey(ids: Uint32Array, keys: Uint32Array, scratch: Uint32Array): Uint32Array {
  const count = new Uint32Array(65537);
  let from = ids;
  let to = scratch;
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let i = 0; i < from.length; i++) count[((keys[from[i]] >>> shift) & 0xffff) + 1]++;
    for (let d = 1; d < count.length; d++) count[d] += count[d - 1];
    for (let i = 0; i < from.length; i++) to[count[(keys[from[i]] >>> shift) & 0xffff]++] = from[i];
    [from, to] = [to, from];
  }
  return from;
}

/**
 * A flat copy of a string. comparable()'s replace leaves a rope of one piece per kept run (V8 cons
 * strings, ~32 bytes each); texts kept until finish() are stored flat.
 */
function flatten(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

const UNKNOWN_RANK = 0x7fffffff;
const NO_SLOT = -1;

export interface CopyMark {
  /** The earliest report (by year, then id) whose statement this one copies. */
  of: string;
  /** Jaccard of token shingles or Jaro-Winkler, rounded to 3 decimals; 1 for the same text. */
  similarity: number;
}

export interface CopyIndexStats {
  statements: number;
  reports: number;
  /** Distinct comparable texts. */
  groups: number;
  /** Group pairs sharing an LSH band key, each counted once (after finish); pairs that can no longer
   * change either group's outcome are counted but not compared. */
  candidatePairs: number;
  /** Pairs of short texts compared by Jaro-Winkler in the opening-characters buckets (after finish). */
  shortPairs: number;
  /** Approximate bytes held by the index (typed arrays, interned tokens, short texts; section texts are on disk). */
  bytes: number;
  /** Milliseconds finish() spent on LSH candidates and on the short-statement buckets. */
  lshMs: number;
  shortMs: number;
}

interface SectionEntry {
  slot: number;
  year: number;
  agency: string;
  /** comparable() of section 五, in the spill file. */
  text: SpilledText;
}

interface SpilledText {
  offset: number;
  bytes: number;
}

/**
 * Texts written to an unlinked temporary file and read back by offset: the comparable section 五 of
 * every report is only compared, at finish(), for the same agency's consecutive years, and held in
 * memory it was the index's largest part (~80 MB per 100k reports). Writes are batched (1 MiB).
 */
class TextSpill {
  private fd: number | null = null;
  private path = '';
  private size = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  add(text: string): SpilledText {
    const buf = Buffer.from(text, 'utf8');
    const ref = { offset: this.size + this.pendingBytes, bytes: buf.length };
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
    return ref;
  }

  private open(): number {
    if (this.fd === null) {
      const dir = mkdtempSync(join(tmpdir(), 'ogi-copies-'));
      this.path = join(dir, 'sections.txt');
      this.fd = openSync(this.path, 'w+');
      // Gone from the folder at once on POSIX (the open descriptor keeps the data): nothing to clean up
      // if the process dies. Where unlinking an open file fails, close() removes it.
      try {
        unlinkSync(this.path);
        rmdirSync(dir);
        this.path = '';
      } catch {
        // removed in close()
      }
    }
    return this.fd;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const fd = this.open();
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    let written = 0;
    while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written, this.size + written);
    this.size += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  read(ref: SpilledText): string {
    if (ref.offset >= this.size) this.flush();
    const buf = Buffer.alloc(ref.bytes);
    let read = 0;
    while (read < ref.bytes) {
      const n = readSync(this.fd!, buf, read, ref.bytes - read, ref.offset + read);
      if (n === 0) throw new Error('CopyIndex: section text spill file is shorter than expected');
      read += n;
    }
    return buf.toString('utf8');
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.path) rmSync(dirname(this.path), { recursive: true, force: true });
    this.path = '';
  }
}

/**
 * Copy detection fed one report and one statement at a time: holds no Statement or ReportRecord and
 * no long statement text, only per statement its group and report (typed arrays) and per distinct
 * comparable text (group) a hashed key, its interned tokens, 16 LSH band keys and, for short texts, the
 * text; per report its id, year and, for the section 五 comparison, agency key and where its comparable section
 * 五 text is in a spill file (TextSpill). finish() gives what markBoilerplate gives for
 * the same reports and statements, whatever order the reports come in.
 *
 * Candidate pairs are found per band by sorting (band key, group) and scanning runs of equal keys; a
 * pair is compared only in the first band where its keys agree, so no set of seen pairs is kept (a run
 * of thousands of groups costs time, not memory).
 */
export class CopyIndex {
  private readonly o: Required<BoilerplateOptions>;
  // Reports: a slot per distinct id (statements may come before their report).
  private readonly slotOf = new Map<string, number>();
  private readonly slotIds: string[] = [];
  /** Each addReport call: its slot and year (order key). */
  private readonly reportSlots = int32s();
  private readonly reportYears: (number | null)[] = [];
  private readonly sections: SectionEntry[] = [];
  private readonly spill = new TextSpill();
  /** Agency keys, one string each (an agency reports every year). */
  private readonly agencies = new Map<string, string>();
  // Statements.
  private readonly stGroup = int32s();
  private readonly stSlot = int32s();
  // Groups.
  private readonly table = new GroupTable();
  private readonly groupLen = int32s();
  private readonly tokStart = uint32s();
  private readonly tokIds = uint32s();
  private readonly bands = uint32s();
  private readonly shortText = new Map<number, string>();
  /** Groups without shingles (never LSH candidates). */
  private readonly noShingles = new Set<number>();
  private readonly vocab = new Map<string, number>();
  private readonly words: string[] = [];
  private vocabChars = 0;
  private shortChars = 0;
  private candidatePairs = 0;
  private shortPairs = 0;
  private result: { marks: Map<number, CopyMark>; sectionCopies: SectionCopy[] } | null = null;
  /** Shingle sets of recently compared groups (bounded). */
  private shingleCache = new Map<number, Set<string>>();
  /** Numeric shingles of recently compared groups, bounded by their total length. */
  private codeCache = new Map<number, Float64Array>();
  private codeCacheSize = 0;
  private sigCache = new Map<number, Uint32Array>();
  private lshMs = 0;
  private shortMs = 0;

  constructor(options: BoilerplateOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** Figures for benchmarks (pairs and timings are filled by finish()). */
  get stats(): CopyIndexStats {
    const arrays = [this.reportSlots, this.stGroup, this.stSlot, this.groupLen, this.tokStart, this.tokIds, this.bands];
    const bytes =
      arrays.reduce((sum, a) => sum + a.data.byteLength, 0) +
      this.table.bytes +
      2 * (this.vocabChars + this.shortChars) +
      // strings, Map entries and small objects: about 80 bytes each
      80 * (this.words.length + this.shortText.size + this.slotIds.length + this.sections.length) +
      8 * this.reportYears.length;
    return {
      statements: this.stGroup.length,
      reports: this.reportSlots.length,
      groups: this.groupLen.length,
      candidatePairs: this.candidatePairs,
      shortPairs: this.shortPairs,
      bytes,
      lshMs: Math.round(this.lshMs),
      shortMs: Math.round(this.shortMs),
    };
  }

  private agencyName(key: string): string {
    let name = this.agencies.get(key);
    if (name === undefined) this.agencies.set(key, (name = flatten(key)));
    return name;
  }

  private slot(id: string): number {
    let s = this.slotOf.get(id);
    if (s === undefined) {
      s = this.slotIds.length;
      this.slotOf.set(id, s);
      this.slotIds.push(id);
    }
    return s;
  }

  private assertOpen(): void {
    if (this.result) throw new Error('CopyIndex: add after finish()');
  }

  /** Once per report, before or after its statements: its order key (year, id), agency and section 五. */
  addReport(r: NarrativeSource): void {
    this.assertOpen();
    const slot = this.slot(r.id);
    this.reportSlots.push(slot);
    this.reportYears.push(r.year);
    const agency = agencyKey(r.agency);
    const problems = r.sections?.problems;
    if (agency && r.year != null && problems?.trim()) {
      const text = comparable(problems);
      this.sections.push({ slot, year: r.year, agency: this.agencyName(agency), text: this.spill.add(text) });
    }
  }

  /** One statement; returns its ordinal (0, 1, 2 … in call order), the key of its mark. */
  addStatement(s: Pick<Statement, 'report_id' | 'text' | 'tokens'>): number {
    this.assertOpen();
    const ordinal = this.stGroup.length;
    this.stSlot.push(this.slot(s.report_id));
    const text = comparable(s.text);
    if (!text) {
      this.stGroup.push(NO_SLOT);
      return ordinal;
    }
    const { key, check } = textHash(text);
    const fresh = this.groupLen.length;
    const group = this.table.findOrAdd(key, check, fresh);
    this.stGroup.push(group);
    if (group === fresh) this.addGroup(text, s.tokens);
    return ordinal;
  }

  /** A new distinct text: the first statement's tokens (or its characters), band keys, short text. */
  private addGroup(text: string, tokens: string[]): void {
    const group = this.groupLen.length;
    this.groupLen.push(text.length);
    this.tokStart.push(this.tokIds.length);
    const words = tokens?.length ? tokens : [...text];
    for (const t of words) {
      const w = /^\d{4}$/.test(t) ? '#' : t;
      let id = this.vocab.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.vocab.set(w, id);
        this.words.push(w);
        this.vocabChars += w.length;
      }
      this.tokIds.push(id);
    }
    if (text.length <= this.o.shortChars) {
      this.shortText.set(group, flatten(text));
      this.shortChars += text.length;
    }
    // Not through the shingle cache: a group's shingles are needed again only for candidate pairs.
    const shingles = tokenShingles(words, text.length <= this.o.shortChars ? 2 : 3);
    if (shingles.size === 0) {
      this.noShingles.add(group);
      for (let b = 0; b < BANDS; b++) this.bands.push(0);
      return;
    }
    const sig = minhash(shingles);
    for (let b = 0; b < BANDS; b++) this.bands.push(bandKey(sig, b));
  }

  private isShort(group: number): boolean {
    return this.groupLen.data[group] <= this.o.shortChars;
  }

  /** Where the group's token ids are in tokIds: [start, end). */
  private tokenRange(group: number): [number, number] {
    const start = this.tokStart.data[group];
    return [start, group + 1 < this.tokStart.length ? this.tokStart.data[group + 1] : this.tokIds.length];
  }

  /** The group's token shingles (2-shingles for short texts), as markBoilerplate built them. */
  private shingles(group: number): Set<string> {
    const cached = this.shingleCache.get(group);
    if (cached) return cached;
    const [start, end] = this.tokenRange(group);
    const toks: string[] = [];
    for (let i = start; i < end; i++) toks.push(this.words[this.tokIds.data[i]]);
    const out = tokenShingles(toks, this.isShort(group) ? 2 : 3);
    if (this.shingleCache.size >= 20_000) this.shingleCache.clear();
    this.shingleCache.set(group, out);
    return out;
  }

  /**
   * The group's shingles as sorted numbers: token ids (and a padding id) in base vocabulary + 1, equal
   * exactly when the joined shingle strings are equal (tokens hold no U+0001). Null when three ids do
   * not fit in 53 bits.
   */
  private shingleCodes(group: number): Float64Array | null {
    const base = this.words.length + 1;
    if (base ** 3 > Number.MAX_SAFE_INTEGER) return null;
    const cached = this.codeCache.get(group);
    if (cached) return cached;
    const pad = base - 1;
    const ids = this.tokIds.data;
    const [start, end] = this.tokenRange(group);
    const n = this.isShort(group) ? 2 : 3;
    const len = end - start;
    const at = (i: number): number => (i < end ? ids[i] : pad);
    let codes: Float64Array;
    if (len < n) codes = Float64Array.of((at(start) * base + at(start + 1)) * base + pad);
    else {
      codes = new Float64Array(len - n + 1);
      for (let i = start; i + n <= end; i++) codes[i - start] = (ids[i] * base + ids[i + 1]) * base + (n === 3 ? ids[i + 2] : pad);
      codes.sort();
      let u = 0;
      for (let i = 0; i < codes.length; i++) if (i === 0 || codes[i] !== codes[u - 1]) codes[u++] = codes[i];
      codes = codes.subarray(0, u);
    }
    this.codeCacheSize += codes.length;
    if (this.codeCacheSize > 4_000_000) {
      this.codeCache.clear();
      this.codeCacheSize = codes.length;
    }
    this.codeCache.set(group, codes);
    return codes;
  }

  /** Jaccard of the two groups' shingle sets (as markBoilerplate computed it). */
  private similarity(a: number, b: number): number {
    const x = this.shingleCodes(a);
    const y = this.shingleCodes(b);
    if (!x || !y) return jaccard(this.shingles(a), this.shingles(b));
    let inter = 0;
    for (let i = 0, j = 0; i < x.length && j < y.length; ) {
      if (x[i] === y[j]) {
        inter++;
        i++;
        j++;
      } else if (x[i] < y[j]) i++;
      else j++;
    }
    return inter / (x.length + y.length - inter);
  }

  /** True when the two groups share a band key (32-bit; may be a hash collision). */
  private shareBandKey(a: number, b: number): boolean {
    const bands = this.bands.data;
    for (let k = 0; k < BANDS; k++) if (bands[a * BANDS + k] === bands[b * BANDS + k]) return true;
    return false;
  }

  /** The group's minhash signature (recomputed from its tokens; recent ones cached). */
  private signature(group: number): Uint32Array {
    let sig = this.sigCache.get(group);
    if (!sig) {
      if (this.sigCache.size >= 50_000) this.sigCache.clear();
      sig = minhash(this.shingles(group));
      this.sigCache.set(group, sig);
    }
    return sig;
  }

  /** True when the two groups share a whole band of minhash values (what made an LSH candidate). */
  private shareBand(a: number, b: number): boolean {
    if (this.noShingles.has(a) || this.noShingles.has(b)) return false;
    const x = this.signature(a);
    const y = this.signature(b);
    for (let band = 0; band < BANDS; band++) {
      let same = true;
      for (let r = band * ROWS; r < (band + 1) * ROWS && same; r++) same = x[r] === y[r];
      if (same) return true;
    }
    return false;
  }

  /**
   * After the last add: the copied statements by ordinal (statements of the same text share one mark
   * object: copy it before changing it), and the whole-section copies. Adding afterwards throws;
   * calling it again gives the same result.
   */
  finish(): { marks: Map<number, CopyMark>; sectionCopies: SectionCopy[] } {
    if (this.result) return this.result;
    const o = this.o;
    const groups = this.groupLen.length;

    // Rank of a report id: its place in (year, id) order; a repeated id takes its last place, as the
    // Map built from the sorted reports did. Ids that only statements named rank after all.
    const rank = new Int32Array(this.slotIds.length).fill(UNKNOWN_RANK);
    const entries = Array.from({ length: this.reportSlots.length }, (_, i) => i);
    const years = this.reportYears;
    const slots = this.reportSlots.data;
    entries.sort((a, b) => (years[a] ?? 9999) - (years[b] ?? 9999) || this.slotIds[slots[a]].localeCompare(this.slotIds[slots[b]]));
    entries.forEach((e, place) => (rank[slots[e]] = place));

    // Source of a group: the first of its statements with the lowest rank.
    const srcSlot = new Int32Array(groups).fill(NO_SLOT);
    const srcRank = new Int32Array(groups).fill(UNKNOWN_RANK);
    const stGroup = this.stGroup.data;
    const stSlot = this.stSlot.data;
    for (let i = 0; i < this.stGroup.length; i++) {
      const g = stGroup[i];
      if (g < 0) continue;
      const r = rank[stSlot[i]];
      if (srcSlot[g] === NO_SLOT || r < srcRank[g]) {
        srcSlot[g] = stSlot[i];
        srcRank[g] = r;
      }
    }
    // What each statement of a group may copy: the lowest-ranked source offered to the group (its own,
    // or a near-duplicate group's) with the best similarity from that report. A statement is a copy
    // when that source ranks before its own report. (Same outcome as offering to every member.)
    const bestSlot = srcSlot.slice();
    const bestRank = srcRank.slice();
    const bestSim = new Float64Array(groups).fill(1);
    const offer = (g: number, from: number, sim: number): void => {
      if (srcRank[from] < bestRank[g]) {
        bestRank[g] = srcRank[from];
        bestSlot[g] = srcSlot[from];
        bestSim[g] = sim;
      } else if (srcSlot[from] === bestSlot[g] && sim > bestSim[g]) bestSim[g] = sim;
    };
    // Whether an offer from `from` could still change g's outcome: best ranks only fall, so a pair
    // useless in both directions now stays useless and need not be compared.
    const useful = (g: number, from: number): boolean =>
      srcRank[from] < bestRank[g] || (srcRank[from] === bestRank[g] && srcSlot[from] === bestSlot[g] && bestSim[g] < 1);
    const link = (a: number, b: number, sim: number): void => {
      offer(a, b, sim);
      offer(b, a, sim);
    };

    const t0 = performance.now();
    // LSH candidates: per band, groups sorted by band key; each pair of a run is compared in the first
    // band where the two agree, unless neither could still change the other's outcome.
    const bands = this.bands.data;
    const ids = new Uint32Array(groups - this.noShingles.size);
    for (let g = 0, k = 0; g < groups; g++) if (!this.noShingles.has(g)) ids[k++] = g;
    const keys = new Uint32Array(groups);
    const scratch = new Uint32Array(ids.length);
    for (let band = 0; band < BANDS; band++) {
      for (let g = 0; g < groups; g++) keys[g] = bands[g * BANDS + band];
      const sorted = sortByKey(ids.slice(), keys, scratch);
      for (let start = 0; start < sorted.length; ) {
        let end = start + 1;
        while (end < sorted.length && keys[sorted[end]] === keys[sorted[start]]) end++;
        for (let x = start; x < end; x++)
          for (let y = x + 1; y < end; y++) {
            const gi = sorted[x];
            const gj = sorted[y];
            let earlier = false;
            for (let k = 0; k < band && !earlier; k++) earlier = bands[gi * BANDS + k] === bands[gj * BANDS + k];
            if (earlier) continue;
            this.candidatePairs++;
            if (!useful(gi, gj) && !useful(gj, gi)) continue;
            const bothShort = this.isShort(gi) && this.isShort(gj);
            let sim = this.similarity(gi, gj);
            if (bothShort) sim = Math.max(sim, JaroWinklerDistance(this.shortText.get(gi)!, this.shortText.get(gj)!));
            // A 32-bit key collision is no candidate: only link pairs whose whole band agrees.
            if (sim >= (bothShort ? Math.min(o.jaccard, o.jaroWinkler) : o.jaccard) && this.shareBand(gi, gj)) link(gi, gj, sim);
          }
        start = end;
      }
    }

    this.lshMs = performance.now() - t0;
    const t1 = performance.now();
    // Short statements also by Jaro-Winkler within buckets of the same two opening characters (pairs
    // that were LSH candidates were decided above).
    const shortBuckets = new Map<string, number[]>();
    for (const [g, text] of this.shortText) {
      if (text.length < 4) continue;
      const key = text.slice(0, 2);
      const list = shortBuckets.get(key);
      if (list) list.push(g);
      else shortBuckets.set(key, [g]);
    }
    // Jaro-Winkler ≤ 0.6·jaro + 0.4 and jaro ≤ (2 + shorter/longer)/3: pairs of too different length
    // cannot reach the threshold.
    const reachable = (a: string, b: string): boolean =>
      0.6 * ((2 + Math.min(a.length, b.length) / Math.max(a.length, b.length)) / 3) + 0.4 >= o.jaroWinkler - 1e-9;
    for (const list of shortBuckets.values()) {
      list.sort((a, b) => a - b);
      for (let x = 0; x < list.length; x++)
        for (let y = x + 1; y < list.length; y++) {
          const gi = list[x];
          const gj = list[y];
          if (!useful(gi, gj) && !useful(gj, gi)) continue;
          const a = this.shortText.get(gi)!;
          const b = this.shortText.get(gj)!;
          if (!reachable(a, b)) continue;
          if (this.shareBandKey(gi, gj) && this.shareBand(gi, gj)) continue;
          this.shortPairs++;
          const sim = JaroWinklerDistance(a, b);
          if (sim >= o.jaroWinkler) link(gi, gj, sim);
        }
    }
    this.shortMs = performance.now() - t1;
    this.shingleCache.clear();
    this.codeCache.clear();
    this.sigCache.clear();

    // One mark object per group, shared by its copied statements (a million marks, far fewer groups).
    const marks = new Map<number, CopyMark>();
    const groupMark: (CopyMark | undefined)[] = [];
    for (let i = 0; i < this.stGroup.length; i++) {
      const g = stGroup[i];
      if (g >= 0 && bestRank[g] < rank[stSlot[i]])
        marks.set(i, (groupMark[g] ??= { of: this.slotIds[bestSlot[g]], similarity: Math.round(bestSim[g] * 1000) / 1000 }));
    }
    try {
      this.result = { marks, sectionCopies: sectionCopies(this.sections, this.slotIds, o.sectionJaccard, (t) => this.spill.read(t)) };
    } finally {
      this.spill.close();
    }
    return this.result;
  }
}

/**
 * Sets Statement.boilerplate on statements that copy an earlier report's statement and returns the
 * whole-section copies (same agency, previous year) as findings (rule `problems.copied`).
 */
export function markBoilerplate(statements: Statement[], reports: ReportRecord[], options: BoilerplateOptions = {}): SectionCopy[] {
  const index = new CopyIndex(options);
  for (const r of reports) index.addReport(r);
  for (const s of statements) index.addStatement(s);
  const { marks, sectionCopies } = index.finish();
  statements.forEach((s, i) => {
    const mark = marks.get(i);
    s.boilerplate = mark ? { ...mark } : null;
  });
  return sectionCopies;
}

/** Agency names compared without spaces and bracketed notes ("（管委会办公室编制）"). */
function agencyKey(agency: string | null): string | null {
  if (!agency) return null;
  const k = agency.replace(/[（(][^）)]*[）)]/gu, '').replace(/\s+/gu, '');
  return k || null;
}

function sectionCopies(entries: SectionEntry[], ids: string[], threshold: number, text: (t: SpilledText) => string): SectionCopy[] {
  const byAgency = new Map<string, SectionEntry[]>();
  for (const e of entries) {
    const list = byAgency.get(e.agency);
    if (list) list.push(e);
    else byAgency.set(e.agency, [e]);
  }
  const out: SectionCopy[] = [];
  for (const list of byAgency.values()) {
    list.sort((a, b) => a.year - b.year || ids[a.slot].localeCompare(ids[b.slot]));
    for (let k = 1; k < list.length; k++) {
      const cur = list[k];
      // The previous year's report; when that year is missing, the nearest earlier one.
      const prev = [...list.slice(0, k)].reverse().find((p) => p.year < cur.year);
      if (!prev) continue;
      const sim = jaccard(charShingles(text(prev.text)), charShingles(text(cur.text)));
      if (sim < threshold) continue;
      const s = Math.round(sim * 1000) / 1000;
      const prevId = ids[prev.slot];
      out.push({
        report_id: ids[cur.slot],
        of: prevId,
        of_year: prev.year,
        year: cur.year,
        similarity: s,
        finding: {
          rule: 'problems.copied',
          severity: 'warning',
          message: `第五部分（存在的主要问题及改进情况）与本机关${prev.year}年报告（${prevId}）基本相同，相似度${s}：问题和措施可能照抄上年。`,
          cells: [],
        },
      });
    }
  }
  return out;
}
