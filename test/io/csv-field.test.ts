/**
 * csvField / csvRow render a value exactly as the formula guard (safeCell) followed by quoting
 * (quoteField) does: the fast paths for numbers and strings must not change a byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRow, quoteField, safeCell, type CsvValue } from '../../src/io/csv.js';

/** The rendering as it is defined: guard (or plain text), then quotes. */
const reference = (v: CsvValue, safe: boolean): string => quoteField(safe ? safeCell(v) : v === null || v === undefined ? '' : String(v));

const tricky = fc.constantFrom('=1+1', '+3', '-5', '-2+3', '@SUM(A1)', '\t1', '\r', 'a,b', 'say "x"', 'x\ny', "'", '.5', '1e5', '-', '', '减少5项', '\u3000');
const values: fc.Arbitrary<CsvValue> = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ',', '"', '1', '.', 'e', 'a', '中') }),
  tricky,
  fc.integer({ min: -5, max: 5000 }),
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 1023, 1024, 0.5, 1e21, 2 ** 31),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);

describe('csvField', () => {
  it('renders every value as safeCell then quoteField do', () => {
    fc.assert(
      fc.property(values, fc.boolean(), (v, safe) => {
        expect(csvField(v, safe)).toBe(reference(v, safe));
      }),
      { numRuns: 3000 },
    );
  });

  it('joins a row of fields with commas, as the reference does', () => {
    fc.assert(
      fc.property(fc.array(values, { maxLength: 8 }), fc.boolean(), (row, safe) => {
        expect(csvRow(row, { safe })).toBe(row.map((v) => reference(v, safe)).join(','));
      }),
      { numRuns: 1000 },
    );
  });

  it('guards formulas and quotes what needs it', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-5')).toBe('-5');
    expect(csvField(-0)).toBe('0');
    expect(csvField(NaN)).toBe('');
    expect(csvField(NaN, false)).toBe('NaN');
    expect(csvField(12)).toBe('12');
  });
});
