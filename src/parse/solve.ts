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
  /** Slots form groups of this width whose last slot is the sum of the others (check must agree). */
  groupWidth?: number;
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
const MAX_NODES = 20_000;
const MAX_SOLUTIONS = 20_000;

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

/**
 * Split placements of a row whose slots form groups of `width`, the last slot of each group the sum of
 * the others (table 三 rows, table 四). Pieces are taken from the right: a group's total first, then
 * its parts while their sum stays within the total, so only fitting splits are ever built.
 */
function groupedSplits(tokens: Token[], slots: number, width: number): Placement[] {
  const out: Placement[] = [];
  const placed: Slot[] = new Array(slots);
  const nonNegative = tokens.every((t) => (t.value ?? 0) >= 0);
  // Digits (a whole token counts one) in tokens before index i: how many pieces can still be cut.
  const before: number[] = [0];
  for (const t of tokens) before.push(before[before.length - 1] + (t.run ? t.digits!.length : 1));
  // Digits still to place per token, counted from the right; a whole token is one piece.
  const rec = (ti: number, end: number, slot: number, target: number, sum: number): void => {
    if (out.length >= MAX_PLACEMENTS) return;
    if (slot < 0) {
      if (ti < 0) out.push([...placed]);
      return;
    }
    if (ti < 0) return;
    // Every token left needs at least one slot.
    if (slot + 1 < ti + 1) return;
    const t = tokens[ti];
    const pos = slot % width;
    const left = before[ti] + (t.run ? end : 1);
    if (left < slot + 1) return;
    // In the first group every piece still to cut is a part no larger than the group's total.
    if (nonNegative && slot < width && pos !== width - 1) {
      // `left` digits make pos+1 pieces: the longest has ≥ ceil(left/(pos+1)) digits (no leading
      // zeros), so the pieces sum to at least 10^(that-1); and to less than (pos+1)·10^(left-pos).
      const need = target - sum;
      const longest = Math.ceil(left / (pos + 1));
      if (longest >= 2 && 10 ** (longest - 1) > need + 1e-6) return;
      if (need > (pos + 1) * 10 ** (left - pos)) return;
    }
    const take = (piece: Slot, nextTi: number, nextEnd: number): void => {
      const v = piece.value ?? 0;
      let nTarget = target;
      let nSum = sum;
      if (pos === width - 1) {
        nTarget = v;
        nSum = 0;
      } else {
        nSum = sum + v;
        if (nonNegative && nSum > target) return;
        if (pos === 0 && Math.abs(nSum - target) > 1e-6) return;
      }
      placed[slot] = piece;
      rec(nextTi, nextEnd, slot - 1, nTarget, nSum);
    };
    if (!t.run) {
      take({ value: t.value, raw: t.raw }, ti - 1, tokens[ti - 1]?.digits?.length ?? 0);
      return;
    }
    const digits = t.digits!;
    const tail = end === digits.length ? t.tail ?? '' : '';
    for (let start = end - 1; start >= 0; start--) {
      const piece = digits.slice(start, end);
      if (piece.length > 1 && piece[0] === '0') continue;
      const value = runPieceValue(piece, tail);
      if (nonNegative && pos !== width - 1 && sum + value > target) break;
      if (start === 0) take({ value, raw: `${piece}${tail}` }, ti - 1, tokens[ti - 1]?.digits?.length ?? 0);
      else take({ value, raw: `${piece}${tail}` }, ti, start);
    }
  };
  rec(tokens.length - 1, tokens[tokens.length - 1]?.digits?.length ?? 0, slots - 1, 0, 0);
  return out;
}

/**
 * Placements that keep tokens whole and put them in order into some of the slots. With `width`, each
 * group of slots must sum to its last slot as soon as the group is filled, which cuts the search early.
 */
function skipPlacements(tokens: Token[], slots: number, width?: number): Placement[] {
  const out: Placement[] = [];
  const acc: Slot[] = new Array(slots);
  const EMPTY: Slot = { value: null, raw: null };
  const groupHolds = (end: number): boolean => {
    if (!width) return true;
    const start = end - width + 1;
    let sum = 0;
    for (let i = start; i < end; i++) sum += acc[i].value ?? 0;
    return Math.abs(sum - (acc[end].value ?? 0)) < 1e-6;
  };
  const rec = (slot: number, tok: number): void => {
    if (out.length >= MAX_PLACEMENTS) return;
    if (slot === slots) {
      if (tok === tokens.length) out.push([...acc]);
      return;
    }
    if (slots - slot < tokens.length - tok) return;
    const closes = width !== undefined && slot % width === width - 1;
    if (tok < tokens.length) {
      acc[slot] = { value: tokens[tok].value, raw: tokens[tok].raw };
      if (!closes || groupHolds(slot)) rec(slot + 1, tok + 1);
    }
    if (slots - slot > tokens.length - tok) {
      acc[slot] = EMPTY;
      if (!closes || groupHolds(slot)) rec(slot + 1, tok);
    }
  };
  rec(0, 0);
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
  // Two readings of lost cell boundaries, both kept: runs split so that every slot is filled (flattened
  // pages print their zeros), and whole tokens placed into some of the slots (empty cells dropped). A
  // run with a leading zero ("00") cannot be one cell.
  const split = !tokens.some((t) => t.run) ? [] : spec.groupWidth ? groupedSplits(tokens, slots, spec.groupWidth) : splitPlacements(tokens, slots);
  const wholeOk = tokens.every((t) => !t.run || !/^0\d/.test(t.digits ?? ''));
  const skip = wholeOk ? skipPlacements(tokens, slots, spec.groupWidth) : [];
  const fitting = [...split, ...skip].filter((p) => check(numeric(p)));
  if (fitting.length > 0 || spec.check) return { placements: fitting, exact: false };
  // No equation to go by (table 二): every reading stays possible.
  return { placements: [...split, ...skip], exact: false };
}

function placementKey(p: Placement): string {
  let key = '';
  for (let j = 0; j < p.length; j++) key += (j === 0 ? '' : ',') + (p[j].value === null ? 'n' : String(p[j].value));
  return key;
}

/** Two slot values print alike in a placement key: both blank, or the same number (0 and -0 both print "0"). */
function sameValue(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** A slot that took different values in different solutions. */
const MIXED: unique symbol = Symbol('mixed');

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
  // Row-indexed flags and lists (rows are 0…n-1): cheaper than sets and maps of row numbers.
  const linked = new Uint8Array(cands.length);
  for (const e of usable) for (const t of e.terms) linked[index.get(t.row)!] = 1;
  const order = cands.map((_, i) => i).filter((i) => cands[i].placements.length > 0 && linked[i] === 1).sort((a, b) => cands[a].placements.length - cands[b].placements.length);
  // Each equation's contribution from each row placement, and the range the rows not yet placed can
  // still add: a branch whose partial sums can no longer reach 0 is cut at once.
  // Terms grouped by row (in equation order, so sums add up exactly as before); a row an equation does
  // not involve gets no contributions (never read: the search and the bounds skip it).
  const termsByRow = usable.map((e) => {
    const byRow: ({ slot: number; coef: number }[] | undefined)[] = new Array(cands.length).fill(undefined);
    for (const t of e.terms) {
      const i = index.get(t.row)!;
      const list = byRow[i];
      if (list) list.push(t);
      else byRow[i] = [t];
    }
    return byRow;
  });
  const contrib: number[][][] = termsByRow.map((byRow) =>
    cands.map((c, i) => {
      const terms = byRow[i];
      if (!terms) return [];
      return c.placements.map((p) => {
        let acc = 0;
        for (const t of terms) acc = acc + t.coef * (p[t.slot].value ?? 0);
        return acc;
      });
    }),
  );
  const involves = termsByRow.map((byRow) => {
    const flags = new Uint8Array(byRow.length);
    for (let i = 0; i < byRow.length; i++) if (byRow[i]) flags[i] = 1;
    return flags;
  });
  const restLo: number[][] = usable.map(() => new Array(order.length + 1).fill(0));
  const restHi: number[][] = usable.map(() => new Array(order.length + 1).fill(0));
  usable.forEach((_, e) => {
    for (let pos = order.length - 1; pos >= 0; pos--) {
      const row = order[pos];
      const vals = involves[e][row] === 1 ? contrib[e][row] : [0];
      restLo[e][pos] = restLo[e][pos + 1] + Math.min(...vals);
      restHi[e][pos] = restHi[e][pos + 1] + Math.max(...vals);
    }
  });
  const partial = new Array(usable.length).fill(0);

  // Per row in the search and slot: the value of the first solution (its slot as printed), MIXED once
  // another solution gives the slot a different value.
  const seenValues: (Slot | typeof MIXED | undefined)[][] = cands.map(() => []);
  const chosen: number[] = new Array(cands.length).fill(-1);
  let nodes = 0;
  let solutions = 0;
  let capped = false;
  const search = (pos: number): void => {
    if (capped) return;
    if (++nodes > MAX_NODES || solutions >= MAX_SOLUTIONS) {
      capped = true;
      return;
    }
    if (pos === order.length) {
      solutions++;
      for (const i of order) {
        const placement = cands[i].placements[chosen[i]];
        const seen = seenValues[i];
        for (let j = 0; j < placement.length; j++) {
          const first = seen[j];
          if (first === undefined) seen[j] = placement[j];
          else if (first !== MIXED && !sameValue(first.value, placement[j].value)) seen[j] = MIXED;
        }
      }
      return;
    }
    const row = order[pos];
    const ps = cands[row].placements;
    for (let p = 0; p < ps.length; p++) {
      chosen[row] = p;
      let feasible = true;
      for (let e = 0; e < usable.length; e++) {
        if (involves[e][row] === 0) continue;
        partial[e] += contrib[e][row][p];
        if (partial[e] + restLo[e][pos + 1] > 1e-6 || partial[e] + restHi[e][pos + 1] < -1e-6) feasible = false;
      }
      if (feasible) search(pos + 1);
      for (let e = 0; e < usable.length; e++) if (involves[e][row] === 1) partial[e] -= contrib[e][row][p];
      if (capped) return;
    }
    chosen[row] = -1;
  };
  search(0);

  const out = new Map<string, SolvedCell[]>();
  cands.forEach((c, i) => {
    const cells: SolvedCell[] = [];
    for (let j = 0; j < c.spec.slots; j++) {
      // The slot's one value, or undefined when it has several (or none).
      let slot: Slot | undefined;
      if (c.placements.length === 0) {
        // More values than slots: the row cannot be read.
        slot = undefined;
      } else if (linked[i] === 1 && !capped && solutions > 0) {
        const seen = seenValues[i][j];
        slot = seen === MIXED ? undefined : seen;
      } else {
        // No reading satisfies the table's equations (the report's own arithmetic is off): judge the
        // row by itself. Of placements that agree, the last one's slot is kept.
        let last = c.placements[0][j];
        let agreed = true;
        for (let k = 1; k < c.placements.length; k++) {
          const next = c.placements[k][j];
          if (!sameValue(last.value, next.value)) agreed = false;
          last = next;
        }
        slot = agreed ? last : undefined;
      }
      if (slot !== undefined) {
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
