/**
 * Cache versions of a build and of its sources: `npm run build` records the sources' fingerprints in
 * dist/.versions.json, so running the build or the sources of the same code shares the store and the
 * unchanged re-run. version.ts is transpiled into a fake src/ and dist/ tree and run from each.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

type VersionModule = typeof import('../../src/batch/version.js');

const dir = mkdtempSync(join(tmpdir(), 'ogi-versions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let loads = 0;
/** A fresh instance of the module in a tree (versions are memoised per instance). */
async function versionsIn(tree: string): Promise<VersionModule> {
  return (await import(`${pathToFileURL(join(dir, tree, 'batch', 'version.js')).href}?load=${loads++}`)) as VersionModule;
}

describe('cache versions of a build', () => {
  it('are those of its sources once the build recorded them, and differ again when a source changes', async () => {
    const js = ts.transpileModule(readFileSync(new URL('../../src/batch/version.ts', import.meta.url), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    for (const [tree, ext, body] of [['src', 'ts', 'export const a: number = 1;'], ['dist', 'js', 'export const a = 1;']] as const) {
      for (const sub of ['batch', 'parse', 'nlp', 'data']) mkdirSync(join(dir, tree, sub), { recursive: true });
      writeFileSync(join(dir, tree, 'batch', 'version.js'), js);
      writeFileSync(join(dir, tree, 'parse', `a.${ext}`), body);
      writeFileSync(join(dir, tree, 'nlp', `b.${ext}`), body);
      writeFileSync(join(dir, tree, 'data', 'labels.json'), '{"x":1}');
    }
    const saved = process.env.OGI_CACHE_VERSION;
    delete process.env.OGI_CACHE_VERSION;
    try {
      const source = await versionsIn('src');
      const [parse, nlp] = [source.parseVersion(), source.nlpVersion({ words: ['政务公开'] })];
      // A build without the record hashes its own compiled files: never the sources' version.
      expect((await versionsIn('dist')).parseVersion()).not.toBe(parse);

      (await versionsIn('dist')).writeBuildVersions(join(dir, 'src'));
      const built = await versionsIn('dist');
      expect(built.parseVersion()).toBe(parse);
      expect(built.nlpVersion({ words: ['政务公开'] })).toBe(nlp);
      expect(built.nlpVersion()).not.toBe(nlp); // the run's own NLP options still count

      writeFileSync(join(dir, 'src', 'parse', 'a.ts'), 'export const a: number = 2;');
      expect((await versionsIn('src')).parseVersion()).not.toBe(parse);
    } finally {
      if (saved !== undefined) process.env.OGI_CACHE_VERSION = saved;
    }
  });
});

describe('the whole-code version of the run fingerprint', () => {
  it('includes the installed version of every runtime dependency', async () => {
    const { dependencyVersions } = await import('../../src/batch/version.js');
    const { readFileSync } = await import('node:fs');
    const listed = dependencyVersions();
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies)) {
      const installed = JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string };
      expect(listed.split(' ')).toContain(`${name}@${installed.version}`);
    }
  });

  it('keys the store on the dependencies that read inputs and segment text, each a runtime dependency', async () => {
    const { PARSE_DEPENDENCIES, NLP_DEPENDENCIES } = await import('../../src/batch/version.js');
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of [...PARSE_DEPENDENCIES, ...NLP_DEPENDENCIES]) expect(Object.keys(pkg.dependencies)).toContain(name);
    expect(PARSE_DEPENDENCIES).toEqual(expect.arrayContaining(['pdfjs-dist', 'mammoth', 'cheerio', 'iconv-lite', 'opencc-js']));
    expect(NLP_DEPENDENCIES).toEqual(expect.arrayContaining(['nodejieba']));
  });
});
