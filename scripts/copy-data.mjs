// `npm run build` compiles src/ with tsc, which copies no data files: copy src/data (dictionaries,
// stopwords, taxonomy, label tables, rule catalogue) next to the compiled code so dist/ runs alone.
// Then stamp the build: bin/ogi.js runs dist/ only while no file under src/ is newer than the stamp.
import { cpSync, writeFileSync } from 'node:fs';
cpSync(new URL('../src/data', import.meta.url), new URL('../dist/data', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/.build-stamp', import.meta.url), `${new Date().toISOString()}\n`);
