/**
 * lineIndex (model/lines.ts) answers offsets by binary search over line starts found once per text;
 * it must give exactly the positions of a scan from the start, which the parser used per finding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineIndex } from '../../src/model/lines.js';
import type { SourcePosition } from '../../src/model/types.js';
import { parseDocument } from '../../src/parse/index.js';
import { makeDocument } from '../../src/ingest/document.js';

/** The scan from the start, kept as the oracle. */
function scanPosition(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

describe('lineIndex', () => {
  it('places offsets as a scan from the start does, at and around line breaks and past the end', () => {
    const text = 'ab\n\nc\n一二三\n';
    const lines = lineIndex(text);
    for (let offset = 0; offset <= text.length + 2; offset++) {
      expect(lines.positionAt(offset)).toEqual(scanPosition(text, offset));
      expect(lines.lineAt(offset)).toBe(scanPosition(text, offset).line);
    }
    // A "\n" belongs to the line it ends; the next offset starts a new line at column 1.
    expect(lines.positionAt(2)).toEqual({ offset: 2, line: 1, column: 3 });
    expect(lines.positionAt(3)).toEqual({ offset: 3, line: 2, column: 1 });
    expect(lineIndex('').positionAt(0)).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it('agrees with the scan on any text and offset', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', '表', ' ') }), fc.nat(), (text, n) => {
        const offset = n % (text.length + 2);
        expect(lineIndex(text).positionAt(offset)).toEqual(scanPosition(text, offset));
      }),
    );
  });

  it('gives the parser the positions the scan gave, for every table finding of the corpus seed', () => {
    const path = join(import.meta.dirname, '../fixtures/corpus/seed/000_f87896d27c5ba0ed.txt');
    const doc = makeDocument({ path, format: 'text', hash: 'h' }, readFileSync(path, 'utf8'));
    // The parser counts lines in the decoded text with its line breaks made "\n".
    const printed = doc.text.replace(/\r\n?/g, '\n');
    let checked = 0;
    for (const finding of parseDocument(doc).reports.flatMap((r) => r.findings)) {
      if (!finding.position) continue;
      expect(finding.position).toEqual(scanPosition(printed, finding.position.offset));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
