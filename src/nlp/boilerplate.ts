/**
 * Copied text: near-duplicate statements across reports, and whole section 五 copied from the same
 * agency's previous year.
 *
 * Statements: MinHash + LSH banding on token 3-shingles finds candidates without comparing every pair;
 * the exact Jaccard of the shingle sets decides. Short statements (few shingles, where Jaccard is
 * brittle) are compared with natural's Jaro-Winkler within buckets of the same opening characters.
 * The source is the earliest report (by year, then id); its own statement keeps boilerplate = null.
 */
import { createRequire } from 'node:module';
import type { Finding, ReportRecord, Statement } from '../model/types.js';
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

/** 32-bit FNV-1a. */
function fnv(s: string): number {
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

/** Sort key of a report: earlier year first, then id (reports without a year come last). */
function reportOrder(reports: ReportRecord[]): Map<string, number> {
  const sorted = [...reports].sort((a, b) => (a.year ?? 9999) - (b.year ?? 9999) || a.id.localeCompare(b.id));
  return new Map(sorted.map((r, i) => [r.id, i]));
}

/**
 * Sets Statement.boilerplate on statements that copy an earlier report's statement and returns the
 * whole-section copies (same agency, previous year) as findings (rule `problems.copied`).
 */
export function markBoilerplate(statements: Statement[], reports: ReportRecord[], options: BoilerplateOptions = {}): SectionCopy[] {
  const o = { ...DEFAULTS, ...options };
  const order = reportOrder(reports);
  const rank = (id: string): number => order.get(id) ?? Number.MAX_SAFE_INTEGER;

  // best[i]: the earliest earlier report whose statement statement i copies.
  const best: ({ report: string; sim: number } | null)[] = statements.map(() => null);
  const offer = (copy: number, srcReport: string, sim: number): void => {
    if (rank(srcReport) >= rank(statements[copy].report_id)) return;
    const cur = best[copy];
    if (!cur || rank(srcReport) < rank(cur.report) || (cur.report === srcReport && sim > cur.sim)) best[copy] = { report: srcReport, sim };
  };

  // Identical texts (after removing markers and years) form one group: boilerplate is often copied
  // verbatim by many reports, and comparing each copy with each other would be quadratic.
  const byText = new Map<string, number[]>();
  statements.forEach((st, i) => {
    const key = comparable(st.text);
    if (!key) return;
    const list = byText.get(key);
    if (list) list.push(i);
    else byText.set(key, [i]);
  });
  const groups = [...byText.entries()].map(([text, members]) => {
    const earliest = members.reduce((a, b) => (rank(statements[b].report_id) < rank(statements[a].report_id) ? b : a));
    return { text, members, source: statements[earliest].report_id, rep: members[0] };
  });
  for (const g of groups) for (const m of g.members) offer(m, g.source, 1);
  /** Near-duplicate groups: each member may copy the other group's earliest report. */
  const link = (a: (typeof groups)[number], b: (typeof groups)[number], sim: number): void => {
    for (const m of a.members) offer(m, b.source, sim);
    for (const m of b.members) offer(m, a.source, sim);
  };

  const shortG: number[] = [];
  groups.forEach((g, gi) => {
    if (g.text.length <= o.shortChars) shortG.push(gi);
  });
  const isShort = new Set(shortG);

  // MinHash LSH candidates among the groups, exact Jaccard of token shingles decides (short
  // statements: 2-shingles, and Jaro-Winkler on the text may also decide). Stopwords are already out
  // of the tokens, so "进一步丰富解读形式" and "丰富解读形式" count as the same.
  const shingles = groups.map((g, gi) => {
    const st = statements[g.rep];
    return tokenShingles(st.tokens.length ? st.tokens : [...g.text], isShort.has(gi) ? 2 : 3);
  });
  const buckets = new Map<string, number[]>();
  shingles.forEach((sh, gi) => {
    if (sh.size === 0) return;
    const sig = minhash(sh);
    for (let b = 0; b < BANDS; b++) {
      const key = `${b}:${Array.from(sig.subarray(b * ROWS, (b + 1) * ROWS)).join(',')}`;
      const list = buckets.get(key);
      if (list) list.push(gi);
      else buckets.set(key, [gi]);
    }
  });
  const seenPairs = new Set<string>();
  const pairKey = (x: number, y: number): string => (x < y ? `${x}:${y}` : `${y}:${x}`);
  for (const list of buckets.values()) {
    if (list.length < 2) continue;
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const gi = list[x];
        const gj = list[y];
        const key = pairKey(gi, gj);
        if (seenPairs.has(key)) continue;
        seenPairs.add(key);
        const bothShort = isShort.has(gi) && isShort.has(gj);
        let sim = jaccard(shingles[gi], shingles[gj]);
        if (bothShort) sim = Math.max(sim, JaroWinklerDistance(groups[gi].text, groups[gj].text));
        if (sim >= (bothShort ? Math.min(o.jaccard, o.jaroWinkler) : o.jaccard)) link(groups[gi], groups[gj], sim);
      }
  }

  // Short statements also by Jaro-Winkler within buckets of the same two opening characters.
  const shortBuckets = new Map<string, number[]>();
  for (const gi of shortG) {
    if (groups[gi].text.length < 4) continue;
    const key = groups[gi].text.slice(0, 2);
    const list = shortBuckets.get(key);
    if (list) list.push(gi);
    else shortBuckets.set(key, [gi]);
  }
  for (const list of shortBuckets.values())
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const key = pairKey(list[x], list[y]);
        if (seenPairs.has(key)) continue;
        seenPairs.add(key);
        const sim = JaroWinklerDistance(groups[list[x]].text, groups[list[y]].text);
        if (sim >= o.jaroWinkler) link(groups[list[x]], groups[list[y]], sim);
      }

  best.forEach((b, i) => {
    statements[i].boilerplate = b ? { of: b.report, similarity: Math.round(b.sim * 1000) / 1000 } : null;
  });

  return sectionCopies(reports, o.sectionJaccard);
}

/** Agency names compared without spaces and bracketed notes ("（管委会办公室编制）"). */
function agencyKey(agency: string | null): string | null {
  if (!agency) return null;
  const k = agency.replace(/[（(][^）)]*[）)]/gu, '').replace(/\s+/gu, '');
  return k || null;
}

function sectionCopies(reports: ReportRecord[], threshold: number): SectionCopy[] {
  const byAgency = new Map<string, ReportRecord[]>();
  for (const r of reports) {
    const key = agencyKey(r.agency);
    if (!key || r.year == null || !r.sections?.problems?.trim()) continue;
    const list = byAgency.get(key);
    if (list) list.push(r);
    else byAgency.set(key, [r]);
  }
  const out: SectionCopy[] = [];
  for (const list of byAgency.values()) {
    list.sort((a, b) => a.year! - b.year! || a.id.localeCompare(b.id));
    for (let k = 1; k < list.length; k++) {
      const cur = list[k];
      // The previous year's report; when that year is missing, the nearest earlier one.
      const prev = [...list.slice(0, k)].reverse().find((p) => p.year! < cur.year!);
      if (!prev) continue;
      const sim = jaccard(charShingles(comparable(prev.sections.problems!)), charShingles(comparable(cur.sections.problems!)));
      if (sim < threshold) continue;
      const s = Math.round(sim * 1000) / 1000;
      out.push({
        report_id: cur.id,
        of: prev.id,
        of_year: prev.year,
        year: cur.year,
        similarity: s,
        finding: {
          rule: 'problems.copied',
          severity: 'warning',
          message: `第五部分（存在的主要问题及改进情况）与本机关${prev.year}年报告（${prev.id}）基本相同，相似度${s}：问题和措施可能照抄上年。`,
          cells: [],
        },
      });
    }
  }
  return out;
}
