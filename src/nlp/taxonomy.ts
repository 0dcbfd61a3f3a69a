/**
 * The theme taxonomy as an editable JSON data file: { "themes": [ { id, name, description, phrases } ] }.
 * Errors name the file, the line and the field, so a user editing the file can fix it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Theme } from '../model/types.js';
import { DATA_DIR, NlpInputError, assertReadableFile } from './segment.js';

export const DEFAULT_TAXONOMY_PATH = join(DATA_DIR, 'themes.json');
export const OTHER_THEME_ID = 'other';

export class TaxonomyError extends NlpInputError {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${path}:${line}: field "${field}": ${detail}`);
    this.name = 'TaxonomyError';
  }
}

// A small JSON reader that remembers the line of every value, because JSON.parse gives no positions.
type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
interface Located {
  value: JsonValue;
  line: number;
  /** For objects: the line of each key; for arrays: the line of each element. */
  children?: Map<string | number, Located>;
}

function parseLocated(text: string, path: string): Located {
  let i = 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new TaxonomyError(path, line, '(syntax)', msg);
  };
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const str = (): string => {
    // Reuse JSON.parse for escapes: find the closing quote first.
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') fail('line break inside a string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): Located => {
    ws();
    const at = line;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: { [k: string]: JsonValue } = {};
      const children = new Map<string | number, Located>();
      ws();
      if (text[i] === '}') {
        i++;
        return { value: obj, line: at, children };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a key in quotes, found ${JSON.stringify(text[i] ?? 'end of file')}`);
        const keyLine = line;
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ":" after key "${key}"`);
        i++;
        const v = value();
        obj[key] = v.value;
        children.set(key, { ...v, line: keyLine });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { value: obj, line: at, children };
        }
        fail(`expected "," or "}" after the value of "${key}"`);
      }
    }
    if (ch === '[') {
      i++;
      const arr: JsonValue[] = [];
      const children = new Map<string | number, Located>();
      ws();
      if (text[i] === ']') {
        i++;
        return { value: arr, line: at, children };
      }
      for (;;) {
        const v = value();
        children.set(arr.length, v);
        arr.push(v.value);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { value: arr, line: at, children };
        }
        fail('expected "," or "]" in a list');
      }
    }
    if (ch === '"') return { value: str(), line: at };
    const lit = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 40));
    if (!lit) fail(`unexpected ${JSON.stringify(ch ?? 'end of file')}`);
    i += lit![0].length;
    return { value: JSON.parse(lit![0]) as JsonValue, line: at };
  };
  const root = value();
  ws();
  if (i < text.length) fail('unexpected text after the end of the document');
  return root;
}

const ID_RE = /^[a-z][a-z0-9_]*$/;

/** Validates located JSON into themes; every error names the line and the field. */
function toThemes(root: Located, path: string): Theme[] {
  const isObj = (v: JsonValue): v is { [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
  let list: Located | undefined;
  if (Array.isArray(root.value)) list = root;
  else if (isObj(root.value)) list = root.children?.get('themes');
  if (!list) throw new TaxonomyError(path, root.line, 'themes', 'missing: expected { "themes": [ … ] }');
  if (!Array.isArray(list.value)) throw new TaxonomyError(path, list.line, 'themes', 'must be a list');
  const seen = new Map<string, number>();
  const themes: Theme[] = [];
  list.children?.forEach((item, idx) => {
    const where = `themes[${idx}]`;
    if (!isObj(item.value)) throw new TaxonomyError(path, item.line, where, 'must be an object with id, name, description, phrases');
    const field = (k: string): Located | undefined => item.children?.get(k);
    const id = field('id');
    if (!id) throw new TaxonomyError(path, item.line, `${where}.id`, 'missing');
    if (typeof id.value !== 'string' || !ID_RE.test(id.value))
      throw new TaxonomyError(path, id.line, `${where}.id`, `must be lower-case letters, digits or _ (got ${JSON.stringify(id.value)})`);
    if (seen.has(id.value))
      throw new TaxonomyError(path, id.line, `${where}.id`, `duplicate id "${id.value}" (first on line ${seen.get(id.value)})`);
    seen.set(id.value, id.line);
    const name = field('name');
    if (!name || typeof name.value !== 'string' || !name.value.trim())
      throw new TaxonomyError(path, name?.line ?? item.line, `${where}.name`, 'missing or not a non-empty string');
    const desc = field('description');
    if (desc && typeof desc.value !== 'string') throw new TaxonomyError(path, desc.line, `${where}.description`, 'must be a string');
    const phrases = field('phrases');
    const phraseList: string[] = [];
    if (phrases) {
      if (!Array.isArray(phrases.value)) throw new TaxonomyError(path, phrases.line, `${where}.phrases`, 'must be a list of strings');
      phrases.children?.forEach((p, k) => {
        if (typeof p.value !== 'string' || !p.value.trim())
          throw new TaxonomyError(path, p.line, `${where}.phrases[${k}]`, 'must be a non-empty string');
        phraseList.push(p.value.trim());
      });
    } else if (id.value !== OTHER_THEME_ID) {
      throw new TaxonomyError(path, item.line, `${where}.phrases`, 'missing (a list of seed phrases)');
    }
    themes.push({
      id: id.value,
      name: name.value as string,
      description: (desc?.value as string | undefined) ?? '',
      phrases: [...new Set(phraseList)],
    });
  });
  if (themes.filter((t) => t.id !== OTHER_THEME_ID).length === 0)
    throw new TaxonomyError(path, list.line, 'themes', 'no themes defined');
  if (!themes.some((t) => t.id === OTHER_THEME_ID))
    themes.push({ id: OTHER_THEME_ID, name: '其他', description: 'none of the above', phrases: [] });
  return themes;
}

/** Parses taxonomy text (for tests and tools); path is only used in messages. */
export function parseTaxonomy(text: string, path = '<taxonomy>'): Theme[] {
  return toThemes(parseLocated(text.replace(/^\uFEFF/, ''), path), path);
}

/** Loads a taxonomy file; an invalid file throws a TaxonomyError naming the line and field. */
export function loadTaxonomy(path: string = DEFAULT_TAXONOMY_PATH): Theme[] {
  assertReadableFile(path, 'taxonomy file');
  return parseTaxonomy(readFileSync(path, 'utf8'), path);
}
