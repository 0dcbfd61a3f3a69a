/** Chinese display labels (data in labels.json), with fallbacks that show the key rather than nothing. */
import labelData from './labels.json' with { type: 'json' };

type LabelTable = Record<string, string>;
const data = labelData as unknown as Record<'levels' | 'templates' | 'outcomes' | 'correction_kinds' | 'metrics' | 'themes' | 'rules', LabelTable>;

export interface Labels {
  level(key: string): string;
  template(key: string): string;
  outcome(key: string): string;
  correctionKind(key: string): string;
  metric(key: string): string;
  theme(id: string): string;
  rule(id: string): string;
  /** A group label for `by`: a year reads "2020年", a level its Chinese name. */
  group(by: string, key: string): string;
}

/** Labels, with theme names from the taxonomy in use (user taxonomies rename or add themes). */
export function makeLabels(themeNames: Record<string, string> = {}): Labels {
  const pick = (t: LabelTable, k: string) => t[k] ?? k;
  return {
    level: (k) => pick(data.levels, k),
    template: (k) => pick(data.templates, k),
    outcome: (k) => pick(data.outcomes, k),
    correctionKind: (k) => pick(data.correction_kinds, k),
    metric: (k) => pick(data.metrics, k),
    theme: (id) => themeNames[id] ?? pick(data.themes, id),
    rule: (id) => pick(data.rules, id),
    group: (by, k) =>
      by === 'year' && /^\d{4}$/.test(k) ? `${k}年` : by === 'level' ? pick(data.levels, k) : by === 'template' ? pick(data.templates, k) : k,
  };
}
