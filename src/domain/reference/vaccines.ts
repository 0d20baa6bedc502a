/**
 * The vaccine reference list (data/reference/vaccines.json, docs/reference-data.md): what a vaccination is
 * recorded against. Validation is strict and names the field: `vaccines[3].atcCode`.
 */
import { cip13Problem, isCis } from './cip.js';

export const VACCINE_KINDS = ['vaccine', 'monoclonal-antibody'] as const;
export type VaccineKind = (typeof VACCINE_KINDS)[number];

export interface VaccineEntry {
  id: string;
  label: string;
  /** Vaccines, and the monoclonal antibodies given in the calendar instead of a vaccine (nirsevimab). */
  kind: VaccineKind;
  cis?: string;
  cip13: string[];
  atcCode: string;
  atcLabel: string;
  /** The diseases it protects against, in French. */
  diseases: string[];
  /** YYYY-MM-DD */
  marketedFrom?: string;
  marketedTo?: string;
}

export interface VaccineList {
  source: string;
  /** The date of the list, YYYY-MM-DD. */
  version: string;
  vaccines: VaccineEntry[];
}

export class VaccineListError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** ATC codes of vaccines (J07, down to the 7-character substance level). */
const ATC_VACCINE = /^J07([A-Z]([A-Z](\d{2})?)?)?$/;
/** Specific immunoglobulins and monoclonal antibodies against infections (J06B). */
const ATC_ANTIBODY = /^J06B([A-Z](\d{2})?)?$/;

function isDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function text(obj: Record<string, unknown>, key: string, field: string, opts: { max: number; optional?: boolean }): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) {
    if (opts.optional) return undefined;
    throw new VaccineListError(field, 'is required');
  }
  if (typeof v !== 'string') throw new VaccineListError(field, 'must be a string');
  const t = v.trim();
  if (t === '' && !opts.optional) throw new VaccineListError(field, 'is empty');
  if (t.length > opts.max) throw new VaccineListError(field, `is longer than ${opts.max} characters`);
  return t === '' ? undefined : t;
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new VaccineListError(field, 'must be an object');
  return v as Record<string, unknown>;
}

const KNOWN_TOP = new Set(['source', 'version', 'vaccines', 'notes']);
const KNOWN_ENTRY = new Set(['id', 'label', 'kind', 'cis', 'cip13', 'atcCode', 'atcLabel', 'diseases', 'marketedFrom', 'marketedTo', 'note']);

/** Validates a parsed vaccine list; throws VaccineListError naming the first bad field. */
export function validateVaccineList(input: unknown): VaccineList {
  const top = object(input, '(file)');
  for (const k of Object.keys(top)) if (!KNOWN_TOP.has(k)) throw new VaccineListError(k, 'is not a field of the vaccine list');
  const source = text(top, 'source', 'source', { max: 500 })!;
  const version = text(top, 'version', 'version', { max: 10 })!;
  if (!isDate(version)) throw new VaccineListError('version', 'must be the date of the list, YYYY-MM-DD');
  if (!Array.isArray(top.vaccines)) throw new VaccineListError('vaccines', 'must be a list');
  if (top.vaccines.length === 0) throw new VaccineListError('vaccines', 'is empty');
  if (top.vaccines.length > 2000) throw new VaccineListError('vaccines', 'has more than 2000 entries');
  const ids = new Set<string>();
  const vaccines = top.vaccines.map((raw, i): VaccineEntry => {
    const at = `vaccines[${i}]`;
    const o = object(raw, at);
    for (const k of Object.keys(o)) if (!KNOWN_ENTRY.has(k)) throw new VaccineListError(`${at}.${k}`, 'is not a field of a vaccine');
    const id = text(o, 'id', `${at}.id`, { max: 64 })!;
    if (!ID.test(id)) throw new VaccineListError(`${at}.id`, 'must be lower-case letters, digits and dashes');
    if (ids.has(id)) throw new VaccineListError(`${at}.id`, `'${id}' is used twice`);
    ids.add(id);
    const label = text(o, 'label', `${at}.label`, { max: 200 })!;
    const kind = (text(o, 'kind', `${at}.kind`, { max: 40, optional: true }) ?? 'vaccine') as VaccineKind;
    if (!VACCINE_KINDS.includes(kind)) throw new VaccineListError(`${at}.kind`, `must be one of ${VACCINE_KINDS.join(', ')}`);
    const cis = text(o, 'cis', `${at}.cis`, { max: 8, optional: true });
    if (cis !== undefined && !isCis(cis)) throw new VaccineListError(`${at}.cis`, 'must be a CIS code (8 digits)');
    if (!Array.isArray(o.cip13)) throw new VaccineListError(`${at}.cip13`, 'must be a list (possibly empty)');
    const cip13 = o.cip13.map((c, j) => {
      const f = `${at}.cip13[${j}]`;
      if (typeof c !== 'string') throw new VaccineListError(f, 'must be a string');
      const problem = cip13Problem(c);
      if (problem === 'check-digit') throw new VaccineListError(f, `${c} has a wrong check digit`);
      if (problem) throw new VaccineListError(f, 'must be a CIP13 (13 digits starting with 34009)');
      return c;
    });
    if (new Set(cip13).size !== cip13.length) throw new VaccineListError(`${at}.cip13`, 'lists a code twice');
    const atcCode = text(o, 'atcCode', `${at}.atcCode`, { max: 7 })!;
    const atcOk = kind === 'vaccine' ? ATC_VACCINE.test(atcCode) : ATC_ANTIBODY.test(atcCode);
    if (!atcOk) {
      throw new VaccineListError(
        `${at}.atcCode`,
        kind === 'vaccine' ? 'must be a vaccine ATC code (J07, e.g. J07CA09)' : 'must be an ATC code of immune sera and immunoglobulins (J06B, e.g. J06BD08)',
      );
    }
    const atcLabel = text(o, 'atcLabel', `${at}.atcLabel`, { max: 200, optional: true }) ?? '';
    if (!Array.isArray(o.diseases) || o.diseases.length === 0) throw new VaccineListError(`${at}.diseases`, 'must list at least one disease');
    const diseases = o.diseases.map((d, j) => {
      if (typeof d !== 'string' || d.trim() === '') throw new VaccineListError(`${at}.diseases[${j}]`, 'must be a disease name');
      if (d.length > 100) throw new VaccineListError(`${at}.diseases[${j}]`, 'is longer than 100 characters');
      return d.trim();
    });
    const marketedFrom = text(o, 'marketedFrom', `${at}.marketedFrom`, { max: 10, optional: true });
    if (marketedFrom !== undefined && !isDate(marketedFrom)) throw new VaccineListError(`${at}.marketedFrom`, 'must be a date, YYYY-MM-DD');
    const marketedTo = text(o, 'marketedTo', `${at}.marketedTo`, { max: 10, optional: true });
    if (marketedTo !== undefined && !isDate(marketedTo)) throw new VaccineListError(`${at}.marketedTo`, 'must be a date, YYYY-MM-DD');
    if (marketedFrom && marketedTo && marketedTo < marketedFrom) throw new VaccineListError(`${at}.marketedTo`, 'is before marketedFrom');
    return {
      id,
      label,
      kind,
      ...(cis ? { cis } : {}),
      cip13,
      atcCode,
      atcLabel,
      diseases,
      ...(marketedFrom ? { marketedFrom } : {}),
      ...(marketedTo ? { marketedTo } : {}),
    };
  });
  return { source, version, vaccines };
}
