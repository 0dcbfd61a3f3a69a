/**
 * A problem with how a command was called or with a file the user named as an option (a filter
 * expression, a groups CSV, a taxonomy or dictionary file). The CLI exits 1 on it, not 2: the run
 * itself was never started. Every stage throws this (or a subclass) for such input, so the layering
 * stays one-way (stages depend on model, never on the CLI).
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
