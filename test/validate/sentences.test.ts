/** topicalSentences cuts text where the look-behind split it replaces did, and keeps the same pieces. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicalSentences } from '../../src/validate/prose.js';

const TOPIC = /申请|复议|诉讼|起诉/;
const bySplit = (text: string) => text.split(/(?<=[。！？!?\n])/).filter((s) => TOPIC.test(s));

describe('topicalSentences', () => {
  it('gives the pieces of the look-behind split that are on the topic', () => {
    const unit = fc.constantFrom('。', '！', '？', '!', '?', '\n', '申请', '复议', '诉讼', '起诉', '共', '5', '件', ' ', '，');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
        expect(topicalSentences(text)).toEqual(bySplit(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a sentence whole with its full stop', () => {
    expect(topicalSentences('收到申请5件。无复议\n其他。')).toEqual(['收到申请5件。', '无复议\n']);
  });
});
