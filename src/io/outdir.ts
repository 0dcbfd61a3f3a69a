import { mkdir, open, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { tempPathFor } from './atomic.js';

/** The output folder cannot be created or written: the run cannot complete (CLI exit code 2). */
export class OutputDirError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`output folder ${dir} cannot be written: ${reason}`);
    this.name = 'OutputDirError';
  }
}

/**
 * Creates the folder (with parents) and proves it is writable by creating and removing a temp file,
 * so a run fails before any work rather than after parsing everything.
 */
export async function ensureWritableDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    await mkdir(abs, { recursive: true });
    const probe = tempPathFor(resolve(abs, 'probe'));
    const handle = await open(probe, 'wx');
    await handle.close();
    await unlink(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new OutputDirError(dir, e instanceof Error ? e.message : String(err));
  }
  return abs;
}
