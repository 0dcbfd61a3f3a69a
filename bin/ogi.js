#!/usr/bin/env node
// `ogi`: runs the compiled dist/ when it is up to date (`npm run build`; an installed package ships
// only dist/), else the TypeScript source through tsx, so a checkout being edited always runs what
// it holds. The build is leaner for big runs: under tsx every worker thread compiles the sources again.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sourceDir = fileURLToPath(new URL('../src', import.meta.url));
const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);
const stamp = fileURLToPath(new URL('../dist/.build-stamp', import.meta.url));

/**
 * Newest modification time under dir, folders included (a file removed changes its folder's time); a
 * few hundred entries: milliseconds. An entry that cannot be stat'ed (an editor's dangling lock link)
 * is skipped.
 */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else {
      try {
        latest = Math.max(latest, statSync(path).mtimeMs);
      } catch {
        // dangling link or vanished file
      }
    }
  }
  return latest;
}

const hasSource = existsSync(fileURLToPath(source));
const buildIsCurrent = existsSync(fileURLToPath(built)) && (!hasSource || (existsSync(stamp) && statSync(stamp).mtimeMs >= newest(sourceDir)));

let entry;
if (buildIsCurrent) {
  entry = built;
} else if (hasSource) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source;
} else {
  process.stderr.write('ogi: neither src/cli/main.ts nor dist/cli/main.js found; run `npm run build`\n');
  process.exit(2);
}
const { run } = await import(entry.href);
await run(process.argv);
