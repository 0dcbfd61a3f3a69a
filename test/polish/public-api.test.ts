/**
 * The package's public API is src/index.ts: package.json's "exports" map admits the root and nothing
 * below it, so helpers a module exports for its own stage or its tests (isSpaceCode, withoutSpace, …)
 * cannot be imported by a user. Checked with Node's own resolver from a package that depends on us.
 */
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ogi-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'ogi-lens'), 'dir');
writeFileSync(join(dir, 'package.json'), '{"type":"module","dependencies":{"ogi-lens":"*"}}');

/** dist/index.js, through the link or (once built, when Node follows the link) in the project itself. */
const compiledIndex = [join(root, 'dist', 'index.js'), join(dir, 'node_modules', 'ogi-lens', 'dist', 'index.js')];

/** Resolves a specifier as the consumer package would; returns the URL or the error code. */
function resolveFromConsumer(specifier: string): string {
  const script = `try { console.log(import.meta.resolve(${JSON.stringify(specifier)})); } catch (e) { console.log('ERR ' + e.code); }`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout.trim();
}

describe('public API', () => {
  it('the root resolves to the compiled index', () => {
    expect(compiledIndex.map((p) => pathToFileURL(p).href)).toContain(resolveFromConsumer('ogi-lens'));
  });

  it('require() finds the root too (Node loads the ES module for a CommonJS caller)', () => {
    // Without a build, require.resolve names the file the exports map chose and says it is missing.
    const script = `try { console.log(require.resolve('ogi-lens')); } catch (e) { console.log(e.code === 'MODULE_NOT_FOUND' ? /'([^']+)'/.exec(e.message)[1] : 'ERR ' + e.code); }`;
    const res = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(compiledIndex).toContain(res.stdout.trim());
  });

  it('deep imports of internal modules are refused', () => {
    for (const deep of ['ogi-lens/dist/nlp/split.js', 'ogi-lens/dist/parse/meta.js', 'ogi-lens/src/index.ts']) {
      expect(resolveFromConsumer(deep)).toBe('ERR ERR_PACKAGE_PATH_NOT_EXPORTED');
    }
  });
});
