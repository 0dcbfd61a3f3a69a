// tslab (the notebooks' TypeScript kernel) depends on a TypeScript 5.0 fork that also declares the
// `tsc` and `tsserver` bins, and npm links that fork's bins into node_modules/.bin, shadowing the
// project's TypeScript 5.9. Runs as postinstall: point the bins back at the project's TypeScript.
import { existsSync, lstatSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const bin = join('node_modules', '.bin');
for (const name of ['tsc', 'tsserver']) {
  const target = join('node_modules', 'typescript', 'bin', name);
  if (!existsSync(target) || !existsSync(bin)) continue;
  const link = join(bin, name);
  try {
    lstatSync(link);
    rmSync(link, { force: true });
  } catch {
    // no link yet
  }
  symlinkSync(join('..', 'typescript', 'bin', name), link);
}
