/**
 * The pool as built JavaScript (dist/): pool.js starts worker.js directly, without tsx. The three
 * modules are transpiled with the project's TypeScript into a temp folder and run from there.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const dir = mkdtempSync(join(tmpdir(), 'ogi-built-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WorkerPool from built JavaScript', () => {
  it('starts .js workers without tsx and returns ordered results', async () => {
    for (const name of ['pool', 'worker', 'protocol']) {
      const source = readFileSync(new URL(`../../src/batch/${name}.ts`, import.meta.url), 'utf8');
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(dir, `${name}.js`), js);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'handler.js'),
      `import { threadId } from 'node:worker_threads';
export function handle(n) { return { n, twice: n * 2, thread: threadId }; }`,
    );
    const { WorkerPool } = (await import(pathToFileURL(join(dir, 'pool.js')).href)) as typeof import('../../src/batch/pool.js');
    const pool = await WorkerPool.start<unknown, number, { n: number; twice: number; thread: number }>({ handler: join(dir, 'handler.js'), jobs: 2 });
    try {
      const out = [];
      for await (const r of pool.map([1, 2, 3, 4, 5, 6])) out.push(r.ok ? r.value.twice : null);
      expect(out).toEqual([2, 4, 6, 8, 10, 12]);
    } finally {
      await pool.close();
    }
  });
});
