/**
 * Placing printed values into table slots when the layout lost where they stood. Each row lists the
 * ways its tokens can fill its slots (split digit runs, or skip slots whose empty cell was dropped);
 * the row's own sum and the table's equations between rows (一+二 = (七)+四, (七) = Σ outcomes) pick
 * the placements that fit. A cell is kept only when every fitting placement gives it the same value;
 * otherwise it is null and reported as ambiguous. A wrong number is worse than a null.
 */
import type { CellStatus } from '../model/types.js';
import { runPieceValue, splitRun, type Token } from './cells.js';

export interface Slot {
  value: number | null;
  /** As printed; null when the slot was not printed at all (a dropped empty cell). */
  raw: string | null;
}
export type Placement = Slot[];

export interface RowSpec {
  key: string;
  slots: number;
  tokens: Token[];
  /** Exact layout: the row's slots as printed, empty ones null (pipe tables keep positions). */
  positional?: (Token | null)[];
  /** The row's own equation on its values (blank counts as 0). */
  check?: (values: number[]) => boolean;
}

/** Σ coef · value = 0 over cells of several rows, blank counting as 0. */
export interface Equation {
  terms: { row: string; slot: number; coef: number }[];
}

export interface SolvedCell {
  value: number | null;
  raw: string | null;
  status: CellStatus;
}

const MAX_PLACEMENTS = 20_000;
const MAX_NODES = 2_000_000;

function tokenSlot(t: Token): Slot {
  return { value: t.value, raw: t.raw };
}
const numeric = (p: Placement): number[] => p.map((s) => s.value ?? 0);

/** Every way to distribute `extra` additional pieces over `n` runs (each run keeps at least one). */
function distributions(n: number, extra: number): number[][] {
  if (n === 0) return extra === 0 ? [[]] : [];
  const out: number[][] = [];
  const rec = (i: number, left: number, acc: number[]): void => {
    if (i === n - 1) {
      out.push([...acc, left]);
      return;
    }
    for (let k = 0; k <= left; k++) rec(i + 1, left - k, [...acc, k]);
  };
  rec(0, extra, []);
  return out;
}

/** Placements that keep every printed cell and split runs so that all slots are filled. */
function splitPlacements(tokens: Token[], slots: number): Placement[] {
  const runIdx = tokens.map((t, i) => (t.run ? i : -1)).filter((i) => i >= 0);
  const extra = slots - tokens.length;
  const out: Placement[] = [];
  for (const dist of distributions(runIdx.length, extra)) {
    // Pieces per token: runs get 1 + their share of the extra pieces.
    const options: Slot[][][] = tokens.map((t, i) => {
      const r = runIdx.indexOf(i);
      if (r < 0) return [[tokenSlot(t)]];
      const k = 1 + dist[r];
      return splitRun(t.digits!, k).map((pieces) =>
        pieces.map((p, j) => {
          const tail = j === pieces.length - 1 ? t.tail ?? '' : '';
          return { value: runPieceValue(p, tail), raw: `${p}${tail}` };
        }),
      );
    });
    const rec = (i: number, acc: Slot[]): void => {
      if (out.length >= MAX_PLACEMENTS) return;
      if (i === options.length) {
        out.push([...acc]);
        return;
      }
      for (const opt of options[i]) rec(i + 1, [...acc, ...opt]);
    };
    rec(0, []);
  }
  return out;
}

/** Placements that keep tokens whole and put them in order into some of the slots. */
function skipPlacements(tokens: Token[], slots: number): Placement[] {
  const out: Placement[] = [];
  const rec = (slot: number, tok: number, acc: Slot[]): void => {
    if (out.length >= MAX_PLACEMENTS) return;
    if (tok === tokens.length) {
      out.push([...acc, ...Array.from({ length: slots - slot }, () => ({ value: null, raw: null }))]);
      return;
    }
    if (slots - slot < tokens.length - tok) return;
    rec(slot + 1, tok + 1, [...acc, tokenSlot(tokens[tok])]);
    rec(slot + 1, tok, [...acc, { value: null, raw: null }]);
  };
  rec(0, 0, []);
  return out;
}

export interface RowCandidates {
  placements: Placement[];
  /** Only one reading of the row exists (as printed). */
  exact: boolean;
}

export function rowCandidates(spec: RowSpec): RowCandidates {
  if (spec.positional) return { placements: [spec.positional.map((t) => (t ? tokenSlot(t) : { value: null, raw: null }))], exact: true };
  const { tokens, slots } = spec;
  if (tokens.length === 0) return { placements: [Array.from({ length: slots }, () => ({ value: null, raw: null }))], exact: true };
  if (tokens.length === slots) return { placements: [tokens.map(tokenSlot)], exact: true };
  if (tokens.length > slots) return { placements: [], exact: false };
  const check = spec.check ?? (() => true);
  // Flattened text prints every cell (zeros included), so first try filling all slots by splitting runs.
  if (tokens.some((t) => t.run)) {
    const split = splitPlacements(tokens, slots).filter((p) => check(numeric(p)));
    if (split.length > 0) return { placements: split, exact: false };
  }
  const all = skipPlacements(tokens, slots);
  const fitting = all.filter((p) => check(numeric(p)));
  return { placements: fitting.length > 0 ? fitting : all, exact: false };
}

function placementKey(p: Placement): string {
  return p.map((s) => (s.value === null ? 'n' : String(s.value))).join(',');
}

/**
 * Solve a table: rows with their candidates, equations between rows. Returns each row's cells.
 */
export function solveTable(specs: RowSpec[], equations: Equation[]): Map<string, SolvedCell[]> {
  const cands = specs.map((s) => {
    const c = rowCandidates(s);
    const seen = new Set<string>();
    const unique = c.placements.filter((p) => {
      const k = placementKey(p);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return { spec: s, exact: c.exact && unique.length === 1, placements: unique };
  });
  const index = new Map(cands.map((c, i) => [c.spec.key, i]));
  const usable = equations.filter((e) => e.terms.every((t) => index.has(t.row) && cands[index.get(t.row)!].placements.length > 0));

  // Rows with one placement first, then the rest by fewest placements: fail early.
  // Rows no equation ties to others are judged by themselves and stay out of the joint search.
  const linked = new Set(usable.flatMap((e) => e.terms.map((t) => index.get(t.row)!)));
  const order = cands.map((_, i) => i).filter((i) => cands[i].placements.length > 0 && linked.has(i)).sort((a, b) => cands[a].placements.length - cands[b].placements.length);
  const position = new Map(order.map((row, pos) => [row, pos]));
  const checksAt: Equation[][] = order.map(() => []);
  for (const e of usable) {
    const last = Math.max(...e.terms.map((t) => position.get(index.get(t.row)!)!));
    checksAt[last].push(e);
  }

  const seenValues: Map<string, Slot>[][] = cands.map((c) => Array.from({ length: c.spec.slots }, () => new Map()));
  const chosen: number[] = new Array(cands.length).fill(-1);
  let nodes = 0;
  let solutions = 0;
  let capped = false;
  const holds = (e: Equation): boolean => {
    let sum = 0;
    for (const t of e.terms) sum += t.coef * (cands[index.get(t.row)!].placements[chosen[index.get(t.row)!]][t.slot].value ?? 0);
    return Math.abs(sum) < 1e-6;
  };
  const search = (pos: number): void => {
    if (capped) return;
    if (++nodes > MAX_NODES) {
      capped = true;
      return;
    }
    if (pos === order.length) {
      solutions++;
      cands.forEach((c, i) => {
        if (chosen[i] < 0) return;
        c.placements[chosen[i]].forEach((slot, j) => {
          const k = slot.value === null ? 'n' : String(slot.value);
          if (!seenValues[i][j].has(k)) seenValues[i][j].set(k, slot);
        });
      });
      return;
    }
    const row = order[pos];
    const ps = cands[row].placements;
    for (let p = 0; p < ps.length; p++) {
      chosen[row] = p;
      if (checksAt[pos].every(holds)) search(pos + 1);
      if (capped) return;
    }
    chosen[row] = -1;
  };
  search(0);

  const out = new Map<string, SolvedCell[]>();
  cands.forEach((c, i) => {
    const cells: SolvedCell[] = [];
    for (let j = 0; j < c.spec.slots; j++) {
      let values: Map<string, Slot>;
      if (c.placements.length === 0) {
        // More values than slots: the row cannot be read.
        values = new Map([['a', { value: null, raw: null }], ['b', { value: 0, raw: null }]]);
      } else if (linked.has(i) && !capped && solutions > 0) {
        values = seenValues[i][j];
      } else {
        // No reading satisfies the table's equations (the report's own arithmetic is off): judge the
        // row by itself.
        values = new Map();
        for (const p of c.placements) values.set(p[j].value === null ? 'n' : String(p[j].value), p[j]);
      }
      if (values.size === 1) {
        const slot = [...values.values()][0];
        const status: CellStatus = slot.value === null ? 'blank' : c.exact ? 'printed' : 'inferred';
        cells.push({ value: slot.value, raw: slot.raw, status });
      } else {
        cells.push({ value: null, raw: null, status: 'ambiguous' });
      }
    }
    out.set(c.spec.key, cells);
  });
  return out;
}
