/** Test helper: a scratch folder per test file, removed afterwards. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  dir: string;
  /** Write bytes or text under the scratch folder and return the path. */
  file(name: string, data: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function scratch(prefix: string): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), `ogi-${prefix}-`));
  return {
    dir,
    async file(name, data) {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
