/**
 * The theme taxonomy as an editable JSON data file: { "themes": [ { id, name, description, phrases } ] }.
 * Errors name the file, the line and the field, so a user editing the file can fix it.
 */
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineIndex } from '../model/lines.js';
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

// JSON.parse gives no positions; jsonc-parser's syntax tree does, so every value keeps its line.
type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
interface Located {
  value: JsonValue;
  line: number;
  /** For objects: the line of each key; for arrays: the line of each element. */
  children?: Map<string | number, Located>;
}

function parseLocated(text: string, path: string): Located {
  const { lineAt } = lineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length || !root) {
    const e = errors[0];
    throw new TaxonomyError(path, e ? lineAt(e.offset) : 1, '(syntax)', e ? printParseErrorCode(e.error) : 'empty document');
  }
  const located = (node: JsonNode, line = lineAt(node.offset)): Located => {
    if (node.type === 'object') {
      const children = new Map<string | number, Located>();
      const value: { [k: string]: JsonValue } = {};
      for (const prop of node.children ?? []) {
        const [key, val] = prop.children ?? [];
        if (!key || !val) continue;
        const child = located(val, lineAt(key.offset));
        value[key.value as string] = child.value;
        children.set(key.value as string, child);
      }
      return { value, line, children };
    }
    if (node.type === 'array') {
      const items = (node.children ?? []).map((c) => located(c));
      return { value: items.map((c) => c.value), line, children: new Map(items.map((c, k) => [k, c])) };
    }
    return { value: node.value as JsonValue, line };
  };
  return located(root);
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
