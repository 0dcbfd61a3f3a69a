import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
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
    // mkdir's EEXIST / ENOTDIR say "file already exists": name what is in the way.
    if (e.code === 'EEXIST' || e.code === 'ENOTDIR') {
      const blocker = await firstFileOnPath(abs);
      if (blocker) throw new OutputDirError(dir, blocker === abs ? 'it is a file, not a folder' : `${blocker} is a file, not a folder`);
    }
    throw new OutputDirError(dir, e instanceof Error ? e.message : String(err));
  }
  return abs;
}

/** The first path from the root down to `abs` that exists and is not a folder, if any. */
async function firstFileOnPath(abs: string): Promise<string | null> {
  const parts = abs.split(sep);
  for (let i = 2; i <= parts.length; i++) {
    const path = parts.slice(0, i).join(sep) || sep;
    try {
      if (!(await stat(path)).isDirectory()) return path;
    } catch {
      return null;
    }
  }
  return null;
}
