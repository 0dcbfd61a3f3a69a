// `npm run build` compiles src/ with tsc, which copies no data files: copy src/data (dictionaries,
// stopwords, taxonomy, label tables, rule catalogue) next to the compiled code so dist/ runs alone.
import { cpSync } from 'node:fs';
cpSync(new URL('../src/data', import.meta.url), new URL('../dist/data', import.meta.url), { recursive: true });
