/**
 * Web archives (.mht/.mhtml: MIME multipart/related, as browsers save a page "as a single file"):
 * the first text/html part is decoded (quoted-printable or base64, its declared charset or detection)
 * and read as an HTML page; the archive's page address becomes the document URL.
 */
import iconv from 'iconv-lite';
import { decodeBytes } from './decode.js';
import { IngestError } from './document.js';
import { htmlToDocument } from './html.js';
import type { Reader } from './read.js';

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

/** Header block → lower-case name → value (folded continuation lines joined). */
function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last = '';
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}

function splitHead(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) } : { head: text, body: '' };
}

/** A parameter of a header value: boundary="----=_NextPart…", charset=gb2312. */
function param(value: string | undefined, name: string): string | null {
  if (!value) return null;
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(value);
  return m ? (m[2] ?? m[1]) : null;
}

function parts(latin1: string): { top: Map<string, string>; parts: MimePart[] } {
  const { head, body } = splitHead(latin1);
  const top = parseHeaders(head);
  const boundary = param(top.get('content-type'), 'boundary');
  if (!boundary) throw new IngestError('damaged web archive: no MIME boundary');
  const out: MimePart[] = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break; // closing delimiter
    const part = splitHead(chunk.replace(/^\r?\n/, ''));
    out.push({ headers: parseHeaders(part.head), body: part.body });
  }
  return { top, parts: out };
}

/** Bytes of a part's body (bytes are carried one per latin1 character). */
function partBytes(part: MimePart): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const soft = part.body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(soft.charCodeAt(i) & 0xff);
    }
    return Buffer.from(bytes);
  }
  return Buffer.from(part.body, 'latin1');
}

export const readMhtml: Reader = async (bytes, ctx) => {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const { top, parts: all } = parts(latin1);
  const page = all.find((p) => /^text\/html/i.test(p.headers.get('content-type') ?? ''));
  if (!page) throw new IngestError('web archive holds no HTML page');
  const raw = partBytes(page);
  const charset = param(page.headers.get('content-type'), 'charset')?.toLowerCase() ?? null;
  // Valid UTF-8 wins over a stale declaration; GB2312/GBK declarations are read as their superset.
  let { text: html, encoding } = decodeBytes(raw);
  if (encoding !== 'utf-8' && charset && iconv.encodingExists(charset)) {
    encoding = /^(gb2312|gbk|x-gbk|gb_2312-80)$/.test(charset) ? 'gb18030' : charset;
    html = iconv.decode(raw, encoding);
  }
  const url = page.headers.get('content-location') ?? top.get('snapshot-content-location');
  const doc = htmlToDocument(html, ctx.path, { hash: ctx.hash, encoding, url });
  return { documents: [doc] };
};
