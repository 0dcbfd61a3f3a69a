/**
 * `ogi audit <inputs...> --out DIR`: the files of `themes`, plus audit.html, audit.xlsx and audit.csv.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAudit, type Audit } from '../audit/index.js';
import { auditCsv } from '../audit/rows.js';
import { tempPathFor, writeFileAtomic } from '../io/atomic.js';
import { ensureWritableDir } from '../io/outdir.js';
import { renderAuditHtml } from '../render/audit-html.js';
import { renderAuditXlsx } from '../render/audit-xlsx.js';

export const AUDIT_FILES = ['audit.html', 'audit.xlsx', 'audit.csv'] as const;

/** Binary files get the same temp-then-rename treatment as the text writers of src/io. */
async function writeBytesAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** Writes audit.html, audit.xlsx and audit.csv into `out` (created when missing); returns their paths. */
export async function writeAuditOutputs(audit: Audit, out: string): Promise<string[]> {
  const dir = await ensureWritableDir(out);
  const paths = AUDIT_FILES.map((f) => join(dir, f));
  const [html, xlsx, csv] = paths;
  await writeFileAtomic(html, await renderAuditHtml(audit));
  await writeBytesAtomic(xlsx, await renderAuditXlsx(audit));
  await writeFileAtomic(csv, auditCsv(audit));
  return paths;
}

export { buildAudit };
