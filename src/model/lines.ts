/**
 * Offsets in a text → 1-based lines and columns. The line starts are found once per text, so each
 * lookup is a binary search instead of a scan from the start.
 */
import type { SourcePosition } from './types.js';

export interface LineIndex {
  /** The 1-based line holding offset (a "\n" ends its line; offsets past the end are on the last line). */
  lineAt(offset: number): number;
  /** Offset → 1-based line and column (column counts UTF-16 code units from the line start). */
  positionAt(offset: number): SourcePosition;
}

export function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  // Index of the last line start ≤ offset.
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    lineAt: (offset) => lineOf(offset) + 1,
    positionAt: (offset) => {
      const k = lineOf(offset);
      return { offset, line: k + 1, column: offset - starts[k] + 1 };
    },
  };
}
