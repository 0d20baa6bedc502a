import { writtenBy } from '../../../fhir/written-by.js';
import { AppError, type Issue } from '../../../errors.js';
import { CARNET_CS, CARNET_EXT, PROFILE_CATEGORY_SYSTEM } from '../systems.js';
import type { EntrySource, PartialDate } from '../../../contract/profile.js';

/**
 * What every section of the medical profile shares (docs/profile.md): reading and checking the web app's
 * input field by field (every field at fault is named), partial dates, the section's tag and category, who
 * entered an entry, and the references between entries. Pure.
 */

export type Json = Record<string, unknown>;

/** The list sections, in the order of src/contract/profile.ts (LIST_SECTIONS). */
export const LIST_SECTIONS = ['diseases', 'treatments', 'allergies', 'hospitalisations', 'family-history', 'disabilities', 'vaccinations', 'habits', 'contacts'] as const;
export type ListSection = (typeof LIST_SECTIONS)[number];
export const UNCONCERNED_SECTIONS = ['diseases', 'treatments', 'allergies', 'hospitalisations', 'family-history', 'disabilities'] as const;
export type UnconcernedSection = (typeof UNCONCERNED_SECTIONS)[number];

export function isListSection(v: unknown): v is ListSection {
  return typeof v === 'string' && (LIST_SECTIONS as readonly string[]).includes(v);
}
export function isUnconcernedSection(v: unknown): v is UnconcernedSection {
  return typeof v === 'string' && (UNCONCERNED_SECTIONS as readonly string[]).includes(v);
}

/** Extensions of Carnet's profile resources. */
export const EXT = {
  source: `${CARNET_EXT}/entry-source`,
  comment: `${CARNET_EXT}/comment`,
  relatedAllergy: `${CARNET_EXT}/related-allergy`,
  relatedDocument: `${CARNET_EXT}/related-document`,
  disabilityRate: `${CARNET_EXT}/disability-rate`,
  technicalHelp: `${CARNET_EXT}/technical-help`,
  humanHelp: `${CARNET_EXT}/human-help`,
  vaccineRef: `${CARNET_EXT}/vaccine-ref`,
  administration: `${CARNET_EXT}/administration-type`,
  /** Who recorded an Immunization (R5 Immunization.informationSource, as R4 has no recorder). */
  recorder: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Immunization.informationSource',
  organDonationPosition: `${CARNET_EXT}/organ-donation-position`,
  informedRelatives: `${CARNET_EXT}/informed-relatives`,
} as const;

/** Carnet's code systems of the profile's enums. */
export const CS = {
  disabilityType: `${CARNET_CS}/disability-type`,
  habitTopic: `${CARNET_CS}/habit-topic`,
  contactKind: `${CARNET_CS}/contact-kind`,
  contactRelation: `${CARNET_CS}/contact-relation`,
  bloodGroup: `${CARNET_CS}/blood-group`,
} as const;

/** The section's coding: a tag on every resource, and the category where the type has a CodeableConcept one. */
export function sectionCoding(section: string): { system: string; code: string } {
  return { system: PROFILE_CATEGORY_SYSTEM, code: section };
}
export function sectionMeta(section: string): Json {
  return { tag: [sectionCoding(section)] };
}
/** The search criterion of a section's entries (every resource of a section carries its tag). */
export function sectionTagToken(section: string): string {
  return `${PROFILE_CATEGORY_SYSTEM}|${section}`;
}

// --- checking the input ----------------------------------------------------------------------------------

export interface FieldProblem {
  field: string;
  message: string;
  code: string;
}

/**
 * Reads an input object field by field, collecting every problem: `done()` throws one 400 (or the status of
 * the first problem) naming every field at fault, or returns.
 */
export class Checker {
  readonly problems: (FieldProblem & { status: number })[] = [];

  constructor(
    readonly body: Json,
    readonly now: Date,
  ) {}

  fail(field: string, message: string, code = `profile.${field}-invalid`, status = 400): undefined {
    if (!this.problems.some((p) => p.field === field)) this.problems.push({ field, message, code, status });
    return undefined;
  }

  /** A required text of 1 to max characters (trimmed). */
  text(field: string, max: number): string {
    const v = this.body[field];
    if (typeof v !== 'string' || !v.trim()) return this.fail(field, `${field} is required (1 to ${max} characters)`) ?? '';
    if (v.trim().length > max) return this.fail(field, `${field} has at most ${max} characters`) ?? '';
    return v.trim();
  }

  /** An optional text: absent when empty. */
  optText(field: string, max: number): string | undefined {
    const v = this.body[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return this.fail(field, `${field} is a text`);
    const t = v.trim();
    if (t.length > max) return this.fail(field, `${field} has at most ${max} characters`);
    return t || undefined;
  }

  oneOf<T extends string>(field: string, values: readonly T[], required = true): T | undefined {
    const v = this.body[field];
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(field, `${field} is required: one of ${values.join(', ')}`);
      return undefined;
    }
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) return this.fail(field, `${field} is one of ${values.join(', ')}`);
    return v as T;
  }

  bool(field: string): boolean {
    const v = this.body[field];
    if (typeof v !== 'boolean') return this.fail(field, `${field} is true or false`) ?? false;
    return v;
  }

  /** A list of resource ids (links to other entries or documents), without duplicates. */
  ids(field: string, max = 50): string[] {
    const v = this.body[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.length > max || !v.every((x) => typeof x === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(x))) {
      return this.fail(field, `${field} is a list of at most ${max} ids`) ?? [];
    }
    return [...new Set(v as string[])];
  }

  /** A partial date (year required, then month, then day), valid and not in the future. */
  partialDate(field: string, required: boolean): PartialDate | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) {
      if (required) this.fail(field, `${field} is required (at least its year)`);
      return undefined;
    }
    const problem = partialDateProblem(v, this.now);
    if (problem) return this.fail(field, `${field}: ${problem.message}`, problem.future ? `profile.${field}-future` : `profile.${field}-invalid`);
    const d = v as PartialDate;
    return { year: d.year, ...(d.month !== undefined ? { month: d.month } : {}), ...(d.day !== undefined ? { day: d.day } : {}) };
  }

  /** A calendar date YYYY-MM-DD, valid and not in the future. */
  civilDate(field: string, required: boolean): string | undefined {
    const v = this.body[field];
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(field, `${field} is required (YYYY-MM-DD)`);
      return undefined;
    }
    const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
    if (!m) return this.fail(field, `${field} is a date YYYY-MM-DD`);
    const problem = partialDateProblem({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, this.now);
    if (problem) return this.fail(field, `${field}: ${problem.message}`, problem.future ? `profile.${field}-future` : `profile.${field}-invalid`);
    return v as string;
  }

  /** end not before start (compared on what both give). */
  order(startField: string, start: PartialDate | undefined, endField: string, end: PartialDate | undefined): void {
    if (!start || !end) return;
    const a = formatPartialDate(start);
    const b = formatPartialDate(end);
    const n = Math.min(a.length, b.length);
    if (b.slice(0, n) < a.slice(0, n)) this.fail(endField, `${endField} is before ${startField}`);
  }

  done(): void {
    if (this.problems.length === 0) return;
    const [first, ...rest] = this.problems;
    const issue = (p: FieldProblem): Issue => ({ severity: 'error', code: 'invalid', diagnostics: p.message, expression: [p.field] });
    throw new AppError(first!.status, first!.status === 422 ? 'business-rule' : 'invalid', first!.message, [first!.field], rest.map(issue)).withCode(first!.code);
  }
}

// --- partial dates ---------------------------------------------------------------------------------------

/** Today in Paris, YYYY-MM-DD (the dates the patient types are French calendar dates). */
export function parisToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why a value is not a partial date that may be recorded at `now`, or undefined. */
export function partialDateProblem(v: unknown, now: Date): { message: string; future?: boolean } | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'a date is { year, month?, day? }' };
  const d = v as Record<string, unknown>;
  const extra = Object.keys(d).filter((k) => !['year', 'month', 'day'].includes(k));
  if (extra.length) return { message: `unknown part ${extra[0]}` };
  const today = parisToday(now);
  const thisYear = Number(today.slice(0, 4));
  const int = (x: unknown) => typeof x === 'number' && Number.isInteger(x);
  if (!int(d.year) || (d.year as number) < 1900 || (d.year as number) > thisYear) return { message: `the year is from 1900 to ${thisYear}`, future: int(d.year) && (d.year as number) > thisYear };
  if (d.month === undefined || d.month === null) {
    if (d.day !== undefined && d.day !== null) return { message: 'a day needs its month' };
    return undefined;
  }
  if (!int(d.month) || (d.month as number) < 1 || (d.month as number) > 12) return { message: 'the month is from 1 to 12' };
  if (d.day !== undefined && d.day !== null) {
    const max = daysInMonth(d.year as number, d.month as number);
    if (!int(d.day) || (d.day as number) < 1 || (d.day as number) > max) return { message: `the day is from 1 to ${max}` };
  }
  const clean: PartialDate = { year: d.year as number, month: d.month as number, ...(d.day !== undefined && d.day !== null ? { day: d.day as number } : {}) };
  const s = formatPartialDate(clean);
  if (s > today.slice(0, s.length)) return { message: 'the date is in the future', future: true };
  return undefined;
}

/** A partial date as a FHIR dateTime: "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
export function formatPartialDate(d: PartialDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.year).padStart(4, '0')}${d.month !== undefined ? `-${pad(d.month)}${d.day !== undefined ? `-${pad(d.day)}` : ''}` : ''}`;
}

/** A FHIR date or dateTime back to a partial date (an instant keeps its calendar day). */
export function parsePartialDate(v: unknown): PartialDate | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(v);
  if (!m) return undefined;
  return { year: Number(m[1]), ...(m[2] ? { month: Number(m[2]) } : {}), ...(m[3] ? { day: Number(m[3]) } : {}) };
}

// --- who entered it --------------------------------------------------------------------------------------

/** The extension that records who entered an entry through Carnet's application API. */
export function sourceExtension(source: EntrySource): Json {
  return {
    url: EXT.source,
    extension: [{ url: 'kind', valueCode: source.kind }, ...(source.name ? [{ url: 'name', valueString: source.name }] : [])],
  };
}

/** Who entered a resource: its entry-source extension; a Practitioner recorder; otherwise a connected app. */
export function sourceOf(resource: Json): EntrySource {
  // who wrote it, as the repository recorded it, wins over what the resource says of itself (a patient or an
  // app naming a Practitioner as performer is not a professional's entry)
  const writer = writtenBy(resource);
  const claimed = claimedSource(resource);
  if (writer === 'patient' || writer === 'app') return claimed?.kind === writer ? claimed : { kind: writer };
  if (claimed) return claimed;
  const recorder = (extValue<Json>(resource, EXT.recorder, 'valueReference') ?? resource.recorder ?? resource.asserter) as Json | undefined;
  if (typeof recorder?.reference === 'string' && recorder.reference.startsWith('Practitioner/')) {
    return { kind: 'professional', ...(typeof recorder.display === 'string' ? { name: recorder.display } : {}) };
  }
  // an Immunization administered by a professional of the directory (practice software, imports)
  const performer = ((resource.performer ?? []) as Json[]).map((p) => p.actor as Json | undefined).find((a) => typeof a?.reference === 'string' && a.reference.startsWith('Practitioner/'));
  if (performer) return { kind: 'professional', ...(typeof performer.display === 'string' ? { name: performer.display } : {}) };
  // written through /fhir by something else than Carnet's web app: a connected app (or practice software)
  return { kind: 'app' };
}

/** The source an entry's Carnet extension states (written by Carnet's services). */
function claimedSource(resource: Json): EntrySource | undefined {
  const ext = extensions(resource).find((e) => e.url === EXT.source);
  if (!ext) return undefined;
  const parts = (ext.extension ?? []) as Json[];
  const kind = parts.find((p) => p.url === 'kind')?.valueCode;
  const name = parts.find((p) => p.url === 'name')?.valueString;
  return kind === 'patient' || kind === 'professional' || kind === 'app' ? { kind, ...(typeof name === 'string' && name ? { name } : {}) } : undefined;
}

// --- small FHIR helpers ----------------------------------------------------------------------------------

export function extensions(resource: Json): Json[] {
  return Array.isArray(resource.extension) ? (resource.extension as Json[]) : [];
}

export function extValue<T = unknown>(resource: Json, url: string, key: string): T | undefined {
  return extensions(resource).find((e) => e.url === url)?.[key] as T | undefined;
}

export function extValues<T = unknown>(resource: Json, url: string, key: string): T[] {
  return extensions(resource)
    .filter((e) => e.url === url)
    .map((e) => e[key] as T)
    .filter((x) => x !== undefined);
}

/** The ids of the references to one type ("Condition/abc" -> "abc"). */
export function idsOf(refs: unknown, type: string): string[] {
  if (!Array.isArray(refs)) return [];
  return refs
    .map((r) => (r as Json)?.reference)
    .filter((r): r is string => typeof r === 'string' && r.startsWith(`${type}/`))
    .map((r) => r.slice(type.length + 1));
}

export function ref(type: string, id: string): { reference: string } {
  return { reference: `${type}/${id}` };
}

export function conceptText(c: unknown): string | undefined {
  const cc = c as { text?: string; coding?: { display?: string; code?: string }[] } | undefined;
  return cc?.text ?? cc?.coding?.find((x) => x.display)?.display ?? cc?.coding?.[0]?.code;
}

export function codeIn(c: unknown, system: string): string | undefined {
  const cc = c as { coding?: { system?: string; code?: string }[] } | undefined;
  return cc?.coding?.find((x) => x.system === system)?.code;
}

export function noteText(resource: Json): string | undefined {
  const notes = resource.note as { text?: string }[] | undefined;
  const t = notes?.map((n) => n.text).filter(Boolean).join('\n');
  return t || undefined;
}

/** Drops the undefined members, so that views hold no empty optional field. */
export function compact<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
