/**
 * After the parse, a run's main thread holds every digest and produces its outputs in a few large
 * passes (statements, topics, analysis, charts). V8 then lets its heap grow to about twice what is
 * live before it collects, which at 100k reports put the peak over 1 GB. From that point on V8 is
 * switched to --optimize-for-size (smaller heap growth, eager release): measured at 100k reports,
 * `ogi report` peaked at 845 MB instead of 1,062 MB, in the same time.
 *
 * The flag is process-wide and stays set, so the CLI asks for it (RunThemesOptions.shrinkHeapAfterParse);
 * a program embedding the pipeline decides for itself. Node documents flags set after startup as
 * unpredictable: the 100k rows of `npm run bench -- --full` show whether a Node upgrade still honours it.
 */
import { setFlagsFromString } from 'node:v8';

let done = false;

export function optimizeHeapForSize(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--optimize-for-size');
}
