import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createProgress } from '../../src/cli/progress.js';

/** A stream that says it is a terminal and keeps what is drawn. */
function fakeTerminal(): { stream: NodeJS.WritableStream; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 120;
  return { stream, text: () => out };
}

describe('progress bar', () => {
  it('draws done/total and the current file name, and stops once', () => {
    const term = fakeTerminal();
    const bar = createProgress('parse', term.stream);
    bar.start(4);
    bar.update(3, '/some/long/folder/广元市2020年报告.txt');
    bar.stop();
    bar.stop();
    bar.update(4, 'late.txt'); // after stop: ignored
    const drawn = term.text();
    expect(drawn).toContain('parse');
    expect(drawn).toContain('3/4 files');
    expect(drawn).toContain('广元市2020年报告.txt');
    expect(drawn).not.toContain('/some/long/folder');
    expect(drawn).not.toContain('late.txt');
  });
});
