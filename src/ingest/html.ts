import { IngestError } from './document.js';
import type { Reader } from './read.js';

/** html reader: being written (issue 3). */
export const readHtml: Reader = async () => {
  throw new IngestError('html files are not supported yet');
};
