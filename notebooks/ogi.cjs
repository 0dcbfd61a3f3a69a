// CommonJS bridge for notebooks: tslab compiles cells to CommonJS, so the project's ESM modules
// (and ESM-only vega, vega-lite, arquero) are loaded here with import() / tsx's tsImport.
'use strict';
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..');
const fromRoot = (p) => path.join(root, p);

let registered = null;
/**
 * import() of a project TypeScript file. tsx's loader hooks are registered once, process-wide, through
 * the ESM build of tsx's API (its CommonJS build resolves its own hook file wrongly).
 */
async function importTs(relPath) {
  registered ??= import('tsx/esm/api').then((api) => api.register());
  await registered;
  return import(pathToFileURL(fromRoot(relPath)).href);
}

/** The ogi-lens library (TypeScript sources, run through tsx) plus vega, vega-lite and arquero. */
async function load() {
  const [themes, analyze, render, vegaLite, vega, arquero] = await Promise.all([
    importTs('src/pipeline/themes.ts'),
    importTs('src/analyze/index.ts'),
    importTs('src/render/index.ts'),
    import('vega-lite'),
    import('vega'),
    import('arquero'),
  ]);
  return { themes, analyze, render, vegaLite, vega, arquero, root };
}

module.exports = { load, importTs, root, fromRoot };
