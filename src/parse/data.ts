/**
 * Parse data files (src/data/*.json) loaded through require: works under tsx and plain Node alike, and
 * with the TypeScript versions in use (no JSON import attributes needed).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadData<T>(name: string): T {
  return require(`../data/${name}`) as T;
}
