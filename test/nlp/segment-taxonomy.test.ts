import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSegmenter, NlpInputError, type Segmenter } from '../../src/nlp/segment.js';
import { DEFAULT_TAXONOMY_PATH, loadTaxonomy, parseTaxonomy, TaxonomyError } from '../../src/nlp/taxonomy.js';

const tmp = mkdtempSync(join(tmpdir(), 'ogi-nlp-'));
let seg: Segmenter;
beforeAll(() => {
  seg = createSegmenter();
});

describe('segmenter', () => {
  it('keeps years whole (HMM on) and domain words whole', () => {
    const cut = seg.cut('2020年政务新媒体集约化，依申请公开答复不及时，落实三安全一稳定');
    expect(cut).toContain('2020');
    for (const w of ['政务新媒体', '集约化', '依申请公开', '不及时', '三安全一稳定']) expect(cut).toContain(w);
  });

  it('removes domain stopwords but keeps negations', () => {
    const toks = seg.tokenize('进一步加强工作，信息不公开，未及时更新');
    expect(toks).not.toContain('进一步');
    expect(toks).not.toContain('加强');
    expect(toks).not.toContain('工作');
    expect(toks.some((t) => t.startsWith('不') || t === '不')).toBe(true);
    expect(toks.some((t) => t.startsWith('未'))).toBe(true);
  });

  it('user stopwords by option and file; negations stay even when listed', () => {
    const file = join(tmp, 'stop.txt');
    writeFileSync(file, '# mine\n栏目\n不\n');
    const s = createSegmenter({ stopwords: ['网站'], stopwordsPath: file });
    const toks = s.tokenize('网站栏目不更新');
    expect(toks).not.toContain('网站');
    expect(toks).not.toContain('栏目');
    expect(toks).toContain('不');
  });

  it('user words by option and by dictionary file', () => {
    const dict = join(tmp, 'user.dict');
    writeFileSync(dict, '# comment\n一网通查 5 n\n');
    const s = createSegmenter({ words: ['政务公开专区'], dictPath: dict });
    expect(s.cut('建设政务公开专区，实现一网通查')).toEqual(expect.arrayContaining(['政务公开专区', '一网通查']));
  });

  it('a missing dictionary path is a clear Error, before nodejieba sees it', () => {
    const missing = join(tmp, 'nope.dict');
    expect(() => createSegmenter({ dictPath: missing })).toThrow(/dictionary file not found: .*nope\.dict/);
    expect(() => createSegmenter({ stopwordsPath: join(tmp, 'nope.txt') })).toThrow(/stopword file not found/);
    expect(() => createSegmenter({ dictPath: tmp })).toThrow(/is not a file/);
    expect(() => createSegmenter({ dictPath: missing })).toThrow(NlpInputError);
  });
});

describe('taxonomy', () => {
  it('ships the ids of THEMES.md with phrases', () => {
    const t = loadTaxonomy();
    expect(t.map((x) => x.id).sort()).toEqual(
      [
        'interpretation', 'staffing', 'awareness', 'timeliness', 'content_depth', 'platform', 'new_media', 'on_request',
        'catalog_standards', 'responsiveness', 'review_security', 'supervision', 'coordination', 'key_areas', 'participation',
        'informatization', 'other',
      ].sort(),
    );
    for (const x of t.filter((x) => x.id !== 'other')) expect(x.phrases.length).toBeGreaterThanOrEqual(15);
    expect(readFileSync(DEFAULT_TAXONOMY_PATH, 'utf8')).toContain('"phrases"');
  });

  it('adds other when a user taxonomy leaves it out', () => {
    const t = parseTaxonomy('{"themes":[{"id":"a","name":"A","description":"","phrases":["甲"]}]}');
    expect(t.map((x) => x.id)).toEqual(['a', 'other']);
  });

  const bad: [string, string, RegExp][] = [
    ['missing phrases', '{\n "themes": [\n  {"id": "a", "name": "A"}\n ]\n}', /:3: field "themes\[0\]\.phrases"/],
    ['bad id', '{\n "themes": [\n  {\n   "id": "Bad Id",\n   "name": "A", "phrases": ["x"]\n  }\n ]\n}', /:4: field "themes\[0\]\.id"/],
    [
      'duplicate id',
      '{"themes": [\n{"id": "a", "name": "A", "phrases": ["x"]},\n{"id": "a", "name": "B", "phrases": ["y"]}\n]}',
      /:3: field "themes\[1\]\.id": duplicate id "a" \(first on line 2\)/,
    ],
    ['empty phrase', '{"themes": [\n{"id": "a", "name": "A", "phrases": [\n"x",\n""\n]}\n]}', /:4: field "themes\[0\]\.phrases\[1\]"/],
    ['syntax error', '{"themes": [\n{"id": "a", "name": "A", "phrases": ["x"]}\n,,]}', /:3: field "\(syntax\)"/],
    ['no themes key', '{"topics": []}', /field "themes": missing/],
  ];
  for (const [name, text, re] of bad) {
    it(`invalid file (${name}) names the line and field`, () => {
      const file = join(tmp, `${name.replace(/\s/g, '_')}.json`);
      writeFileSync(file, text);
      expect(() => loadTaxonomy(file)).toThrow(TaxonomyError);
      expect(() => loadTaxonomy(file)).toThrow(NlpInputError);
      expect(() => loadTaxonomy(file)).toThrow(re);
    });
  }
  it('a missing taxonomy file is a clear Error', () => {
    expect(() => loadTaxonomy(join(tmp, 'none.json'))).toThrow(/taxonomy file not found/);
  });
});

describe('lazy NLP (the main thread of a batch run)', () => {
  it('checks the taxonomy and option files at once, and loads the models only when a report needs them', async () => {
    const { createLazyNlp } = await import('../../src/nlp/index.js');
    expect(() => createLazyNlp({ dictPath: join(tmpdir(), 'ogi-no-such.dict') })).toThrow(/dictionary file not found/);
    expect(() => createLazyNlp({ stopwordsPath: join(tmpdir(), 'ogi-no-such-stopwords.txt') })).toThrow(/not found/);
    const nlp = createLazyNlp();
    expect(nlp.taxonomy.length).toBeGreaterThan(5);
    expect(nlp.loaded).toBe(false);
    // A report without section 五 needs no model.
    expect(nlp.statements({ id: 'r0', year: 2021, agency: null, sections: { problems: null } })).toEqual([]);
    expect(nlp.loaded).toBe(false);
    const found = nlp.statements({ id: 'r1', year: 2021, agency: '某某局', sections: { problems: '一是政策解读不够深入。二是网站栏目更新不及时。' } });
    expect(nlp.loaded).toBe(true);
    expect(found.length).toBe(2);
  });
});
