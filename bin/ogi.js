#!/usr/bin/env node
// `ogi`: runs the TypeScript source through tsx in a checkout (always current, no build needed),
// or the compiled dist/ when the source is not shipped (an installed package).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);

let entry;
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = source;
} else if (existsSync(fileURLToPath(built))) {
  entry = built;
} else {
  process.stderr.write('ogi: neither src/cli/main.ts nor dist/cli/main.js found; run `npm run build`\n');
  process.exit(2);
}
const { run } = await import(entry.href);
await run(process.argv);
