import { IngestError } from './document.js';
import type { Reader } from './read.js';

/** jsonl reader: being written (issue 3). */
export const readJsonl: Reader = async () => {
  throw new IngestError('jsonl files are not supported yet');
};
