import { IngestError } from './document.js';
import type { Reader } from './read.js';

/** pdf reader: being written (issue 3). */
export const readPdf: Reader = async () => {
  throw new IngestError('pdf files are not supported yet');
};
