/**
 * The cell keys of the three standard tables, as the output contract names them.
 * Labels (how each row and column is printed in a report) live in src/data/table-labels.json;
 * this module only fixes the keys so every stage agrees on them.
 */
import type { Template } from './types.js';

export const APPLICANT_COLUMNS = [
  'natural_person',
  'business',
  'research',
  'social_org',
  'legal_service',
  'other_org',
  'total',
] as const;
/** Present only when a report prints one merged 法人或其他组织 figure. */
export const ORG_SUBTOTAL_COLUMN = 'org_subtotal';
export const ORG_COLUMNS = ['business', 'research', 'social_org', 'legal_service', 'other_org'] as const;

export const DENIED_ITEMS = [
  'denied_state_secret',
  'denied_law_prohibited',
  'denied_three_safety',
  'denied_third_party',
  'denied_internal_affairs',
  'denied_process_info',
  'denied_enforcement_file',
  'denied_inquiry',
] as const;
export const UNAVAILABLE_ITEMS = ['unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear'] as const;
export const NOT_PROCESSED_ITEMS = [
  'not_processed_petition',
  'not_processed_duplicate',
  'not_processed_publication',
  'not_processed_excessive',
  'not_processed_confirmation',
] as const;
export const OTHER_ITEMS_2021 = ['other_no_correction', 'other_no_fee', 'other_misc'] as const;

/** Outcome rows whose sum is (七)总计. */
export const OUTCOME_ROWS = ['granted', 'partially_granted', 'denied', 'unavailable', 'not_processed', 'other'] as const;

/** Rows of table 三 in printed order (derived group rows excluded). */
export function applicationRows(template: Template): string[] {
  return [
    'new_received',
    'carried_over',
    'granted',
    'partially_granted',
    ...DENIED_ITEMS,
    ...UNAVAILABLE_ITEMS,
    ...NOT_PROCESSED_ITEMS,
    ...(template === '2021' ? [...OTHER_ITEMS_2021] : ['other']),
    'handled_total',
    'carried_forward',
  ];
}
/** Derived rows that are always present in tables.applications. */
export const DERIVED_APPLICATION_ROWS = ['denied', 'unavailable', 'not_processed'] as const;

export const REVIEW_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export const REVIEW_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;

/** Rows and columns of table 二 per template. */
export const PROACTIVE_2019: Record<string, readonly string[]> = {
  'art20_1.regulations': ['made', 'published', 'total_published'],
  'art20_1.normative_documents': ['made', 'published', 'total_published'],
  'art20_5.licensing': ['prev_items', 'change', 'decisions'],
  'art20_5.other_services': ['prev_items', 'change', 'decisions'],
  'art20_6.penalty': ['prev_items', 'change', 'decisions'],
  'art20_6.coercion': ['prev_items', 'change', 'decisions'],
  'art20_8.fees': ['prev_items', 'change'],
  'art20_9.procurement': ['projects', 'amount_wan'],
};
export const PROACTIVE_2021: Record<string, readonly string[]> = {
  'art20_1.regulations': ['issued', 'repealed', 'in_force'],
  'art20_1.normative_documents': ['issued', 'repealed', 'in_force'],
  'art20_5.licensing': ['decisions'],
  'art20_6.penalty': ['decisions'],
  'art20_6.coercion': ['decisions'],
  'art20_8.fees': ['amount_wan'],
};

/** "applications.new_received.total" from its parts. */
export function cellKey(table: string, row: string, col: string): string {
  return `${table}.${row}.${col}`;
}
