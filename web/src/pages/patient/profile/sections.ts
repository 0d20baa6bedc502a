/**
 * The description of each list section's form: its fields, in order, each of a kind the generic form knows how
 * to show, to fill from an entry, to check and to turn into the section's input (profile-types.ts). One page
 * (SectionPage) serves every section from these descriptions.
 */
import {
  ADMINISTRATION_TYPES,
  CONTACT_KINDS,
  CONTACT_RELATIONS,
  DISABILITY_RATES,
  DISABILITY_TYPES,
  DURATION_UNITS,
  FAMILY_RELATIONSHIPS,
  HABIT_TOPICS,
  HUMAN_HELP,
  LIST_SECTIONS,
  UNCONCERNED_SECTIONS,
  type ListSection,
  type PartialDate,
  type SectionViews,
  type UnconcernedSection,
} from '../../../profile-types';

export type LinkTarget = 'diseases' | 'allergies' | 'documents';

export type FieldSpec =
  | { kind: 'text'; key: string; required?: boolean; max?: number; type?: 'text' | 'tel' | 'email'; autoComplete?: string }
  | { kind: 'textarea'; key: string; required?: boolean; max?: number }
  | { kind: 'partialDate'; key: string; required?: boolean }
  | { kind: 'date'; key: string; required?: boolean; defaultToday?: boolean }
  | { kind: 'select'; key: string; enumName: string; options: readonly string[]; required?: boolean }
  | { kind: 'multi'; key: string; enumName: string; options: readonly string[]; required?: boolean }
  | { kind: 'links'; key: string; target: LinkTarget }
  | { kind: 'duration'; key: string }
  /** The drug search: fills the name, the CIP13 and the CIS of a treatment. */
  | { kind: 'drug'; key: 'drug' }
  /** The vaccine of the reference list (draft keys vaccineRefId and vaccineLabel). */
  | { kind: 'vaccine'; key: 'vaccineRefId' };

export interface SectionSpec {
  section: ListSection;
  /** The URL segment under /patient/profil/. */
  slug: string;
  fields: FieldSpec[];
}

const TEXT_MAX = 200;
const COMMENT_MAX = 2000;

export const SECTION_SPECS: Record<ListSection, SectionSpec> = {
  diseases: {
    section: 'diseases',
    slug: 'maladies',
    fields: [
      { kind: 'text', key: 'name', required: true, max: TEXT_MAX },
      { kind: 'partialDate', key: 'start', required: true },
      { kind: 'partialDate', key: 'end' },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
      { kind: 'links', key: 'documentIds', target: 'documents' },
    ],
  },
  treatments: {
    section: 'treatments',
    slug: 'traitements',
    fields: [
      { kind: 'drug', key: 'drug' },
      { kind: 'text', key: 'name', required: true, max: TEXT_MAX },
      { kind: 'text', key: 'cip13', max: 13 },
      { kind: 'text', key: 'dosage', max: TEXT_MAX },
      { kind: 'partialDate', key: 'start' },
      { kind: 'partialDate', key: 'end' },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
      { kind: 'links', key: 'diseaseIds', target: 'diseases' },
      { kind: 'links', key: 'allergyIds', target: 'allergies' },
    ],
  },
  allergies: {
    section: 'allergies',
    slug: 'allergies',
    fields: [
      { kind: 'text', key: 'name', required: true, max: TEXT_MAX },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
    ],
  },
  hospitalisations: {
    section: 'hospitalisations',
    slug: 'hospitalisations',
    fields: [
      { kind: 'text', key: 'name', required: true, max: TEXT_MAX },
      { kind: 'partialDate', key: 'start', required: true },
      { kind: 'duration', key: 'duration' },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
      { kind: 'links', key: 'documentIds', target: 'documents' },
    ],
  },
  'family-history': {
    section: 'family-history',
    slug: 'antecedents-familiaux',
    fields: [
      { kind: 'text', key: 'name', required: true, max: TEXT_MAX },
      { kind: 'select', key: 'relationship', enumName: 'familyRelationship', options: FAMILY_RELATIONSHIPS, required: true },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
    ],
  },
  disabilities: {
    section: 'disabilities',
    slug: 'handicaps',
    fields: [
      { kind: 'text', key: 'name', required: true, max: TEXT_MAX },
      { kind: 'multi', key: 'types', enumName: 'disabilityType', options: DISABILITY_TYPES, required: true },
      { kind: 'select', key: 'rate', enumName: 'disabilityRate', options: DISABILITY_RATES, required: true },
      { kind: 'text', key: 'technicalHelp', max: TEXT_MAX },
      { kind: 'select', key: 'humanHelp', enumName: 'humanHelp', options: HUMAN_HELP, required: true },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
    ],
  },
  vaccinations: {
    section: 'vaccinations',
    slug: 'vaccinations',
    fields: [
      { kind: 'vaccine', key: 'vaccineRefId' },
      { kind: 'date', key: 'date', required: true },
      { kind: 'select', key: 'administration', enumName: 'administration', options: ADMINISTRATION_TYPES, required: true },
      { kind: 'text', key: 'lotNumber', max: 50 },
      { kind: 'text', key: 'performer', max: TEXT_MAX },
      { kind: 'textarea', key: 'comment', max: COMMENT_MAX },
    ],
  },
  habits: {
    section: 'habits',
    slug: 'habitudes',
    fields: [
      { kind: 'select', key: 'topic', enumName: 'habitTopic', options: HABIT_TOPICS, required: true },
      { kind: 'textarea', key: 'answer', required: true, max: COMMENT_MAX },
      { kind: 'date', key: 'date', defaultToday: true },
    ],
  },
  contacts: {
    section: 'contacts',
    slug: 'entourage',
    fields: [
      { kind: 'select', key: 'kind', enumName: 'contactKind', options: CONTACT_KINDS, required: true },
      { kind: 'select', key: 'relation', enumName: 'contactRelation', options: CONTACT_RELATIONS, required: true },
      { kind: 'text', key: 'firstName', required: true, max: 100, autoComplete: 'off' },
      { kind: 'text', key: 'lastName', required: true, max: 100, autoComplete: 'off' },
      { kind: 'text', key: 'phone', max: 30, type: 'tel', autoComplete: 'off' },
      { kind: 'text', key: 'email', max: 254, type: 'email', autoComplete: 'off' },
      { kind: 'textarea', key: 'address', max: 500 },
    ],
  },
};

/** The section of a URL segment: the French slug, or the API's own name. */
export function sectionOfSlug(slug: string | undefined): ListSection | undefined {
  if (!slug) return undefined;
  const bySlug = LIST_SECTIONS.find((s) => SECTION_SPECS[s].slug === slug);
  if (bySlug) return bySlug;
  return (LIST_SECTIONS as readonly string[]).includes(slug) ? (slug as ListSection) : undefined;
}

export const sectionUrl = (section: ListSection): string => `/patient/profil/${SECTION_SPECS[section].slug}`;

export const isUnconcernable = (section: ListSection): section is UnconcernedSection =>
  (UNCONCERNED_SECTIONS as readonly string[]).includes(section);

// --- drafts: what the form holds while it is filled -------------------------------------------------------

export interface PartialDraft {
  day: string;
  month: string;
  year: string;
}
export interface DurationDraft {
  value: string;
  unit: string;
}
export type Draft = Record<string, unknown>;

export const str = (draft: Draft, key: string): string => (typeof draft[key] === 'string' ? (draft[key] as string) : '');
export const list = (draft: Draft, key: string): string[] => (Array.isArray(draft[key]) ? (draft[key] as string[]) : []);
export const partial = (draft: Draft, key: string): PartialDraft =>
  (draft[key] as PartialDraft | undefined) ?? { day: '', month: '', year: '' };
export const duration = (draft: Draft, key: string): DurationDraft => (draft[key] as DurationDraft | undefined) ?? { value: '', unit: 'DAY' };

const partialDraftOf = (d: PartialDate | undefined): PartialDraft => ({
  year: d ? String(d.year) : '',
  month: d?.month ? String(d.month) : '',
  day: d?.day ? String(d.day) : '',
});

/** The draft of a new entry, or of an entry being changed. */
export function draftOf(spec: SectionSpec, entry: Record<string, unknown> | undefined, today: string): Draft {
  const draft: Draft = {};
  for (const f of spec.fields) {
    const value = entry?.[f.key];
    switch (f.kind) {
      case 'text':
      case 'textarea':
      case 'select':
        draft[f.key] = typeof value === 'string' ? value : '';
        break;
      case 'date':
        draft[f.key] = typeof value === 'string' ? value.slice(0, 10) : f.defaultToday ? today : '';
        break;
      case 'partialDate':
        draft[f.key] = partialDraftOf(value as PartialDate | undefined);
        break;
      case 'multi':
      case 'links':
        draft[f.key] = Array.isArray(value) ? [...(value as string[])] : [];
        break;
      case 'duration': {
        const d = value as { value: number; unit: string } | undefined;
        draft[f.key] = { value: d ? String(d.value) : '', unit: d?.unit ?? 'DAY' };
        break;
      }
      case 'drug':
        draft.cis = typeof entry?.cis === 'string' ? entry.cis : '';
        break;
      case 'vaccine':
        draft.vaccineRefId = typeof entry?.vaccineRefId === 'string' ? entry.vaccineRefId : '';
        draft.vaccineLabel = typeof entry?.label === 'string' ? entry.label : '';
        break;
    }
  }
  return draft;
}

// --- checking a draft and making the input ---------------------------------------------------------------

/** One problem of a draft: the field (its key; `part` for a date's day, month or year) and a message key. */
export interface DraftProblem {
  key: string;
  part?: 'day' | 'month' | 'year' | 'value';
  /** profile.validation.<message> */
  message: string;
  params?: Record<string, string | number>;
}

const DIGITS = /^\d+$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A partial date typed in the form, checked: its problems, or the date (undefined when left empty). */
export function parsePartial(d: PartialDraft, today: string): { date?: PartialDate; problem?: Omit<DraftProblem, 'key'> } {
  const year = d.year.trim();
  const month = d.month.trim();
  const day = d.day.trim();
  if (!year && !month && !day) return {};
  if (!year) return { problem: { part: 'year', message: 'yearRequired' } };
  if (!/^\d{4}$/.test(year) || Number(year) < 1900) return { problem: { part: 'year', message: 'year' } };
  const date: PartialDate = { year: Number(year) };
  if (month) {
    if (!DIGITS.test(month) || Number(month) < 1 || Number(month) > 12) return { problem: { part: 'month', message: 'month' } };
    date.month = Number(month);
  }
  if (day) {
    if (!date.month) return { problem: { part: 'month', message: 'monthForDay' } };
    if (!DIGITS.test(day) || Number(day) < 1 || Number(day) > daysIn(date.year, date.month)) return { problem: { part: 'day', message: 'day' } };
    date.day = Number(day);
  }
  if (partialKey(date) > partialKey(partialOfIso(today))) return { problem: { part: 'year', message: 'future' } };
  return { date };
}

const partialOfIso = (iso: string): PartialDate => ({ year: Number(iso.slice(0, 4)), month: Number(iso.slice(5, 7)), day: Number(iso.slice(8, 10)) });

/** Compares as far as both dates are known: "2020" is not after "2020-05". */
function partialKey(d: PartialDate, fill = 0): number {
  return d.year * 10_000 + (d.month ?? fill) * 100 + (d.day ?? fill);
}
function endsBefore(end: PartialDate, start: PartialDate): boolean {
  // the end may be less precise than the start: compare on what both give
  const common = (a: PartialDate, b: PartialDate): [number, number] => {
    if (a.month === undefined || b.month === undefined) return [a.year, b.year];
    if (a.day === undefined || b.day === undefined) return [a.year * 100 + a.month, b.year * 100 + b.month];
    return [partialKey(a), partialKey(b)];
  };
  const [e, s] = common(end, start);
  return e < s;
}

export const isIsoDate = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
};

/** The EAN-13 key of a CIP13 (34009 + CIP7 + key): as the server checks it (src/domain/reference/cip.ts). */
export function cip13Problem(code: string): 'format' | 'check-digit' | undefined {
  if (!/^34009\d{8}$/.test(code)) return 'format';
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(code[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(code[12]) ? undefined : 'check-digit';
}

/** Checks a draft and makes the section's input: the input when there is no problem. */
export function inputOf(spec: SectionSpec, draft: Draft, today: string): { input?: Record<string, unknown>; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const input: Record<string, unknown> = {};
  for (const f of spec.fields) {
    switch (f.kind) {
      case 'text':
      case 'textarea': {
        const v = str(draft, f.key).trim();
        if (!v) {
          if (f.required) problems.push({ key: f.key, message: 'required' });
          break;
        }
        if (f.max && v.length > f.max) problems.push({ key: f.key, message: 'tooLong', params: { max: f.max } });
        else if (f.key === 'cip13' && cip13Problem(v)) problems.push({ key: f.key, message: cip13Problem(v) === 'format' ? 'cipFormat' : 'cipKey' });
        else if (f.kind === 'text' && f.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) problems.push({ key: f.key, message: 'email' });
        else input[f.key] = v;
        break;
      }
      case 'select': {
        const v = str(draft, f.key);
        if (!v) {
          if (f.required) problems.push({ key: f.key, message: 'choose' });
        } else input[f.key] = v;
        break;
      }
      case 'date': {
        const v = str(draft, f.key).trim();
        if (!v) {
          if (f.required) problems.push({ key: f.key, message: 'dateRequired' });
        } else if (!isIsoDate(v)) problems.push({ key: f.key, message: 'date' });
        else if (v > today) problems.push({ key: f.key, message: 'future' });
        else input[f.key] = v;
        break;
      }
      case 'partialDate': {
        const { date, problem } = parsePartial(partial(draft, f.key), today);
        if (problem) problems.push({ key: f.key, ...problem });
        else if (date) input[f.key] = date;
        else if (f.required) problems.push({ key: f.key, part: 'year', message: 'yearRequired' });
        break;
      }
      case 'multi': {
        const v = list(draft, f.key);
        if (f.required && v.length === 0) problems.push({ key: f.key, message: 'chooseOne' });
        input[f.key] = v;
        break;
      }
      case 'links':
        input[f.key] = list(draft, f.key);
        break;
      case 'duration': {
        const d = duration(draft, f.key);
        const v = d.value.trim();
        if (!v) break;
        if (!DIGITS.test(v) || Number(v) < 1 || Number(v) > 999) problems.push({ key: f.key, part: 'value', message: 'duration' });
        else if (!(DURATION_UNITS as readonly string[]).includes(d.unit)) problems.push({ key: f.key, part: 'value', message: 'duration' });
        else input[f.key] = { value: Number(v), unit: d.unit };
        break;
      }
      case 'drug': {
        const cis = str(draft, 'cis');
        if (cis) input.cis = cis;
        break;
      }
      case 'vaccine': {
        const v = str(draft, 'vaccineRefId');
        if (!v) problems.push({ key: 'vaccineRefId', message: 'vaccine' });
        else input.vaccineRefId = v;
        break;
      }
    }
  }
  // an end before its start
  const start = input.start as PartialDate | undefined;
  const end = input.end as PartialDate | undefined;
  if (start && end && endsBefore(end, start)) problems.push({ key: 'end', part: 'year', message: 'endBeforeStart' });
  return problems.length ? { problems } : { input, problems };
}

/** The input id of a field's control (or of the part a problem is about): what an error links to. */
export function controlId(formId: string, f: Pick<FieldSpec, 'kind' | 'key'>, part?: DraftProblem['part']): string {
  const base = `${formId}-${f.key}`;
  switch (f.kind) {
    case 'partialDate':
      return `${base}-${part ?? 'year'}`;
    case 'duration':
      return `${base}-value`;
    case 'multi':
      return `${base}-0`;
    case 'vaccine':
      return `${formId}-vaccine`;
    default:
      return base;
  }
}

/** The title of an entry in its list. */
export function entryTitle(section: ListSection, entry: SectionViews[ListSection], topicLabel: (topic: string) => string): string {
  switch (section) {
    case 'vaccinations':
      return (entry as SectionViews['vaccinations']).label;
    case 'habits':
      return topicLabel((entry as SectionViews['habits']).topic);
    case 'contacts': {
      const c = entry as SectionViews['contacts'];
      return `${c.firstName} ${c.lastName}`.trim();
    }
    default:
      return (entry as { name: string }).name;
  }
}
