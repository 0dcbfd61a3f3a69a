// `npm run build`: compile src/ to dist/ with tsc, copy src/data (dictionaries, stopwords, taxonomy,
// label tables, rule catalogue) next to the compiled code so dist/ runs alone, record the cache versions
// of the sources (dist/.versions.json: the build and the sources share the store), and stamp the build.
// bin/ogi.js runs dist/ only while no file under src/ is newer than the stamp, so the stamp carries the
// time the build started: a source edited while tsc ran leaves the build stale, as it is.
import { spawnSync } from 'node:child_process';
import { cpSync, utimesSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const started = new Date();
const root = new URL('..', import.meta.url);
const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(new URL('src/data', root), new URL('dist/data', root), { recursive: true });
const { writeBuildVersions } = await import(new URL('dist/batch/version.js', root).href);
writeBuildVersions(fileURLToPath(new URL('src', root)));
const stamp = new URL('dist/.build-stamp', root);
writeFileSync(stamp, `${started.toISOString()}\n`);
utimesSync(stamp, started, started);
