import { IngestError } from './document.js';
import type { Reader } from './read.js';

/** docx reader: being written (issue 3). */
export const readDocx: Reader = async () => {
  throw new IngestError('docx files are not supported yet');
};
