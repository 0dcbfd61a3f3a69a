/**
 * HTML: the real saved pages 133.html/134.html give the figures of truth.json; a generated government
 * page with site chrome (nested layout tables, navigation lists, a share bar, footer, scripts) parses
 * to the report alone; broken markup never throws.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToDocument, readInput } from '../../src/ingest/index.js';
import type { ReportRecord } from '../../src/model/types.js';
import { parseDocument, parseText } from '../../src/parse/index.js';
import { bodyHtml, reportBlocks, tableValues } from './helpers/forms.js';
import { readSingle } from './helpers/read.js';
import { scratch, type Scratch } from './helpers/tmp.js';

const CORPUS = 'test/fixtures/corpus';

interface TruthReport {
  file: string;
  year: number;
  template: string;
  proactive?: Record<string, number | null>;
  applications?: Record<string, number | null>;
  review_litigation?: Record<string, number | null>;
}
const truth = JSON.parse(readFileSync(`${CORPUS}/truth.json`, 'utf8')) as { reports: TruthReport[] };

let tmp: Scratch;
beforeAll(async () => {
  tmp = await scratch('ingest-html');
});
afterAll(async () => {
  await tmp.remove();
});

/** A truth key "art20_1.regulations.made" → the cell value in a record (undefined when absent). */
function valueAt(record: ReportRecord, table: 'proactive' | 'applications' | 'review_litigation', key: string): number | null | undefined {
  const parts = key.split('.');
  const col = parts.pop()!;
  return record.tables[table]?.[parts.join('.')]?.[col]?.value;
}

describe.each(['133', '134'])('real saved page %s.html', (name) => {
  const expected = truth.reports.find((r) => r.file === `${name}.txt`)!;

  it('parses to the figures of truth.json', async () => {
    const { report } = await readSingle(`${CORPUS}/html/${name}.html`);
    expect(report.year).toBe(expected.year);
    expect(report.template).toBe(expected.template);
    let checked = 0;
    for (const table of ['proactive', 'applications', 'review_litigation'] as const) {
      for (const [key, value] of Object.entries(expected[table] ?? {})) {
        expect(valueAt(report, table, key), `${table}.${key}`).toBe(value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('keeps the report and drops the site chrome', async () => {
    const doc = (await readInput(`${CORPUS}/html/${name}.html`)).documents[0];
    expect(doc.text).toMatch(/^平潭综合实验区20\d\d年度?政府信息公开工作年度报告\n/);
    for (const chrome of ['闽政通', '网站标识码', '版权所有', '扫一扫', '当前位置', '友情链接', '无障碍', '公安备案号', '长者模式', '登录']) {
      expect(doc.text, chrome).not.toContain(chrome);
    }
    expect(doc.text).not.toMatch(/function\s*\(|var\s+\w+\s*=|\{[^}]*:[^}]*;\s*\}/);
    expect(doc.text).toContain('六、其他需要报告的事项');
  });

  it('gives the same figures as the text version of the same report', async () => {
    const doc = (await readInput(`${CORPUS}/html/${name}.html`)).documents[0];
    const fromHtml = parseDocument(doc).reports[0];
    const fromText = parseText(readFileSync(`${CORPUS}/reports/${name}.txt`, 'utf8')).reports[0];
    for (const table of ['proactive', 'applications', 'review_litigation'] as const) {
      for (const key of Object.keys(expected[table] ?? {})) {
        expect(valueAt(fromHtml, table, key), key).toBe(valueAt(fromText, table, key));
      }
    }
  });
});

/** A saved county-government page: the report inside layout tables, menus, a share bar and a footer. */
function chromePage(body: string): string {
  const links = (words: string[]): string => words.map((w) => `<li><a href="/${encodeURIComponent(w)}.html">${w}</a></li>`).join('');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某县2020年政府信息公开工作年度报告_政府信息公开年报_某县人民政府</title>
<style>.nav li{float:left} td.header{font-size:14px}</style>
<script>var pageTitle = "一、总体情况"; function share(){ return "二、主动公开政府信息情况"; }</script>
</head><body>
<table width="100%" class="layout"><tr><td class="header">
  <div class="top-bar">网站首页 | 无障碍阅读 | 长者模式 | 登录 注册</div>
  <ul class="nav">${links(['网站首页', '政务公开', '政务服务', '互动交流', '走进某县'])}</ul>
</td></tr>
<tr><td>
  <table width="100%"><tr>
    <td width="200" class="left">
      <div class="side-menu"><h3>政府信息公开</h3><ul>${links(['政府信息公开指南', '政府信息公开制度', '法定主动公开内容', '政府信息公开年报', '2019年政府信息公开工作年度报告', '2018年政府信息公开工作年度报告'])}</ul></div>
    </td>
    <td class="main-td">
      <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/nb">政府信息公开年报</a></div>
      <div class="article">
        <h1 class="article-title">某县2020年政府信息公开工作年度报告</h1>
        <div class="info">发布时间：2021-01-20 来源：县政府办 浏览次数：<span id="views">1024</span></div>
        <div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
        <div class="TRS_Editor">${body}</div>
        <div class="print-close">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
        <script>document.getElementById("views").innerText = "三、收到和处理政府信息公开申请情况";</script>
      </div>
    </td>
  </tr></table>
</td></tr>
<tr><td class="footer">
  <div class="footer">主办：某县人民政府办公室 版权所有 网站标识码：1234567890 <a href="#">网站地图</a> <a href="#">联系我们</a></div>
</td></tr></table>
<noscript>请启用JavaScript</noscript>
</body></html>`;
}

describe('a government page with site chrome', () => {
  const source = readFileSync(`${CORPUS}/reports/133.txt`, 'utf8');
  const record = parseText(source).reports[0];

  it('parses to the report alone', async () => {
    const { doc, report } = await readSingle(await tmp.file('chrome.html', chromePage(bodyHtml(reportBlocks(record)))));
    expect(tableValues(report)).toEqual(tableValues(record));
    // Words of the page's chrome that the report itself never uses (checked against 133.txt).
    const chromeWords = ['网站首页', '走进某县', '政府信息公开指南', '当前位置', '分享到', 'QQ空间', '打印本页', '关闭窗口', '版权所有', '网站标识码', '浏览次数', '请启用', '2018年政府信息公开', '长者模式', '网站地图', '联系我们'];
    for (const word of chromeWords) expect(source).not.toContain(word);
    for (const section of Object.values(report.sections)) {
      for (const word of chromeWords) expect(section ?? '', word).not.toContain(word);
    }
    for (const word of [...chromeWords, 'pageTitle', 'function', 'innerText', 'float:left']) expect(doc.text, word).not.toContain(word);
    // The title stood outside the body (in an <h1> beside the share bar) and is kept.
    expect(doc.text.split('\n')[0]).toBe(record.title ?? '');
  });

  it('uses the page <title> when the report has no heading of its own', () => {
    const page = chromePage('<p>一、总体情况</p><p>本年度工作。</p><p>二、主动公开政府信息情况</p><p>无。</p><p>五、存在的主要问题及改进情况</p><p>人员不足。</p>').replace(
      /<h1[^>]*>.*?<\/h1>/,
      '',
    );
    const doc = htmlToDocument(page, 'page.html');
    expect(doc.text.split('\n')[0]).toBe('某县2020年政府信息公开工作年度报告');
    expect(doc.text).toContain('人员不足。');
    expect(doc.text).not.toContain('网站首页');
  });
});

describe('a page whose report has no standard headings', () => {
  it('finds the body by text and link density', () => {
    const prose = [
      '2010年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，进一步健全工作机制，全年主动公开政府信息120条。',
      '全年共受理政府信息公开申请3件，均已按时答复，未发生因政府信息公开引起的行政复议和行政诉讼。',
      '工作中还存在公开内容不够全面、更新不够及时等问题，下一步将加强培训，完善制度。',
    ];
    const page = chromePage(prose.map((p) => `<p>${p}</p>`).join('')).replace(/<h1[^>]*>.*?<\/h1>/, '');
    const doc = htmlToDocument(page, 'prose.html');
    for (const p of prose) expect(doc.text).toContain(p);
    for (const chrome of ['网站首页', '政府信息公开指南', '版权所有', '分享到', 'pageTitle']) expect(doc.text, chrome).not.toContain(chrome);
  });
});

describe('tables and markup', () => {
  it('honours rowspan and colspan and prints merged text once', () => {
    const doc = htmlToDocument(
      '<table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>7</td></tr><tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr></table>',
      'x.html',
      { findBody: false },
    );
    expect(doc.tables).toHaveLength(1);
    const grid = doc.tables[0];
    expect(grid[1][0]).toMatchObject({ text: '三、本年度办理结果', rowspan: 2, origin: [0, 0] });
    expect(grid[0][2]).toMatchObject({ text: '（一）予以公开', colspan: 2, origin: [0, 1] });
    expect(doc.text).toBe('| 三、本年度办理结果 | （一）予以公开 |  | 7 |\n|  | （三）不予公开 | 1.属于国家秘密 | 0 |\n');
  });

  it('keeps a table caption as text above the grid', () => {
    const doc = htmlToDocument('<table><caption>表二 主动公开情况</caption><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>3</td></tr></table>', 'c.html', { findBody: false });
    expect(doc.text).toBe('表二 主动公开情况\n| 规章 | 0 |\n| 规范性文件 | 3 |\n');
  });

  it('reads malformed markup without throwing', async () => {
    const path = await tmp.file('broken.html', '<html><body><div><p>一、总体情况<p>本年度共收到申请<b>5件<table><tr><td>规章<td>0</tr><tr><td>规范性文件<td>3');
    const res = await readInput(path);
    expect(res.status).toBe('ok');
    expect(res.documents[0].text).toContain('一、总体情况');
    expect(res.documents[0].text).toContain('| 规范性文件 | 3 |');
  });

  it('fails a page with no text', async () => {
    const res = await readInput(await tmp.file('blank.html', '<html><head><script>var a = 1;</script></head><body><img src="a.png"></body></html>'));
    expect(res).toMatchObject({ status: 'failed', message: 'no text in HTML page' });
  });

  it('reads a GBK page and a traditional-character page', async () => {
    const iconv = (await import('iconv-lite')).default;
    const html = '<html><head><meta charset="gbk"></head><body><p>一、總體情況</p><p>本年度共收到政府資訊公開申請15件，全部按時答覆。</p></body></html>';
    const res = await readInput(await tmp.file('gbk.html', iconv.encode(html, 'gbk')));
    expect(res.status).toBe('ok');
    const doc = res.documents[0];
    expect(doc.encoding).toBe('gb18030');
    expect(doc.text).toContain('一、总体情况');
    expect(doc.originalText).toContain('一、總體情況');
    expect(doc.originalText!.length).toBe(doc.text.length);
  });
});
