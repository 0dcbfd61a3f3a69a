/**
 * Report metadata: agency (issuing body as named), level and region (from the agency name, rules in
 * src/data/parse-levels.json), reporting year, and the template signals found in the text.
 */
import { loadData } from './data.js';
import type { Level, Template } from '../model/types.js';

interface LevelData {
  special: Record<string, Level>;
  rules: { level: Level; pattern: string }[];
  provinces: string[];
  cities: Record<string, string>;
  counties: Record<string, string>;
  agencies: Record<string, string>;
}
const LEVELS = loadData<LevelData>('parse-levels.json');
const LEVEL_RULES = LEVELS.rules.map((r) => ({ level: r.level, re: new RegExp(r.pattern) }));

const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*年/;
const BARE_PLACE = /(省|自治区|市|州|盟|县|区|旗|乡|镇)$/;

/** Agency from the title: what stands before the year (or after it, "2022年上海市政府信息…"). */
export function agencyFromTitle(title: string): string | null {
  const t = title.replace(/\s+/g, '');
  const m = /^(.*?)(?:(?:19|20)\d{2})年度?(.*?)(?:政府)?(?:信息公开|政务公开)/.exec(t);
  let name = '';
  if (m) {
    name = m[1] || m[2];
  } else {
    const n = /^(.*?)(?:政府)?(?:信息公开|政务公开)/.exec(t);
    name = n ? n[1] : '';
  }
  name = name.replace(/[（(][^）)]*$/, '').replace(/^[*＊]+/, '**');
  if (name.length < 2) return null;
  if (LEVELS.agencies[name]) return LEVELS.agencies[name];
  if (BARE_PLACE.test(name)) return `${name}人民政府`;
  if (/(市|县|区|省)政府$/.test(name)) return name.replace(/政府$/, '人民政府');
  return name;
}

/** Agency named in the preamble of an untitled report ("现公布揭东区公路局2015年度政府信息公开…"). */
export function agencyFromText(text: string): string | null {
  const head = text.slice(0, 800).replace(/\s+/g, '');
  const m = /(?:现公布|特向社会公布|公布|由)([\u4e00-\u9fa5（）()]{2,24}?)(?:(?:19|20)\d{2}年度?)?(?:政府信息公开|编制)/.exec(head);
  if (!m) return governmentNamedMost(text);
  const name = m[1].replace(/^(我|本)/, '');
  if (name.length < 2 || /^(年度|本年|我局|我乡|我镇|我区|我县|我市)/.test(name)) return null;
  return BARE_PLACE.test(name) ? `${name}人民政府` : name;
}

/**
 * An untitled report that speaks of 全县/全市/全区 is most likely its government's: the government
 * named most often ("灵川县人民政府办公室关于…" → 灵川县人民政府), when one clearly leads.
 */
function governmentNamedMost(text: string): string | null {
  const scope = /全(县|市|区|省)/.exec(text);
  if (!scope) return null;
  const counts = new Map<string, number>();
  // The place name starts after a non-Chinese character or a higher unit (九江市|濂溪区).
  const re = new RegExp(`(?<=^|[^\\u4e00-\\u9fa5]|省|市|州)([\\u4e00-\\u9fa5]{1,4}?${scope[1]})人民政府`, 'g');
  for (const m of text.matchAll(re)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  // One government named, or one named clearly more often than any other.
  if (ranked.length === 0 || (ranked.length > 1 && (ranked[0][1] < 2 || ranked[1][1] === ranked[0][1]))) return null;
  return `${ranked[0][0]}人民政府`;
}

/** `text` without its white space. */
export function withoutSpace(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Reporting year: the title's year, else the statistics period, else the commonest year early on.
 * `flat`: withoutSpace(text), when the caller has it.
 */
export function reportYear(title: string | null, text: string, flat?: string): number | null {
  if (title) {
    const m = YEAR_IN_TITLE.exec(title.replace(/\s+/g, ''));
    if (m) return Number(m[1]);
  }
  const head = flat !== undefined && text.length <= 3000 ? flat : withoutSpace(text.slice(0, 3000));
  const period = /((?:19|20)\d{2})年1月1日/.exec(head) ?? /((?:19|20)\d{2})年度/.exec(head);
  if (period) return Number(period[1]);
  const counts = new Map<number, number>();
  for (const m of head.matchAll(/((?:19|20)\d{2})年/g)) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1);
  let best: number | null = null;
  for (const [y, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = y;
  return best;
}

export function agencyLevel(agency: string | null): Level | null {
  if (!agency) return null;
  // A government's own office reports at the government's level (江西省人民政府办公厅 → province).
  const name = agency
    .replace(/[（(].*?[）)]/g, '')
    .replace(/\s+/g, '')
    .replace(/(人民政府|政府)(办公室|办公厅|机关)$/, '$1');
  for (const [special, level] of Object.entries(LEVELS.special)) {
    if (name.startsWith(special) && /^[\u4e00-\u9fa5]*?(管委会|管理委员会|人民政府|政府)?(办公室|机关)?$/.test(name.slice(special.length))) {
      return level;
    }
  }
  for (const rule of LEVEL_RULES) if (rule.re.test(name)) return rule.level;
  return null;
}

/** "四川省广元市" style region from the agency name, where it can be told. */
export function agencyRegion(agency: string | null): string | null {
  if (!agency) return null;
  const name = agency.replace(/\s+/g, '');
  for (const [county, region] of Object.entries(LEVELS.counties)) if (name.includes(county)) return region;
  const province = LEVELS.provinces.find((p) => name.startsWith(p) || name.startsWith(p.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '')));
  const cityMatch = /^(?:[\u4e00-\u9fa5]{2,8}?(?:省|自治区))?([\u4e00-\u9fa5]{2,6}?(?:市|州|盟))/.exec(name);
  const city = cityMatch && !LEVELS.provinces.includes(cityMatch[1]) ? cityMatch[1] : null;
  if (city) {
    const p = province ?? LEVELS.cities[city] ?? '';
    return `${p}${city}`;
  }
  return province ?? null;
}

/**
 * Template from the text when no table tells: citations of the template notice, then the part
 * headings (总体情况 … is the post-2019 structure; 概述, 咨询, 收费及减免 the old one). A new-structure
 * report that cites neither notice is told by its year: the 2021 format applies from 2021 on.
 * `flat`: withoutSpace(text), when the caller has it.
 */
export function templateFromText(text: string, year: number | null, flat: string = withoutSpace(text)): Template {
  const t = flat;
  if (/〔2021〕30号|\[2021\]30号|年度报告格式/.test(t)) return '2021';
  if (/〔2019〕60号|\[2019\]60号/.test(t)) return '2019';
  const isNew = /[一1][、.．]?(本年度政府信息公开工作的)?总体情况|收到和处理政府信息公开申请|行政复议、行政诉讼情况|被申请行政复议/.test(t);
  const isOld = /概述|咨询|谘询|收费及减免|收费和减免|人员和收支/.test(t);
  if (isNew && !isOld) {
    if (year === null) return 'unknown';
    return year >= 2021 ? '2021' : '2019';
  }
  if (isOld) return 'pre2019';
  if (year !== null && year < 2019) return 'pre2019';
  return 'unknown';
}
