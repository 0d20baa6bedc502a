/**
 * The columns of a population file and the check of one row (docs/population-file.md). Everything here is
 * pure: the caller reads records (./csv.ts), checks the header once, then each row on its own. Rules that
 * span rows (a NIR appearing twice, a covered_by_nir that matches nobody) are not checked here.
 */
import { INS_OID, type InsOid, type InsSex, type InsTraits } from '../ins/ins.js';
import { parseNir } from '../ins/nir.js';
import { formatCsvRecord, SEPARATOR } from './csv.js';

/** The columns, in the order `formatRow` writes them. A file may order them freely. */
export const COLUMNS = [
  'nir',
  'ins_oid',
  'birth_name',
  'first_given_name',
  'given_names',
  'used_name',
  'birth_date',
  'sex',
  'birth_place',
  'vitale_serial',
  'email',
  'phone',
  'address_line',
  'postal_code',
  'city',
  'covered_by_nir',
] as const;

export type Column = (typeof COLUMNS)[number];

/** Columns that may be left out of the header (and whose value may be empty). */
export const OPTIONAL_COLUMNS: ReadonlySet<Column> = new Set<Column>([
  'ins_oid',
  'used_name',
  'vitale_serial',
  'email',
  'phone',
  'covered_by_nir',
]);

/** The header line `formatRow` goes with (no line terminator). */
export const HEADER: string = COLUMNS.join(SEPARATOR);

/** Where each column sits in the rows of one file. */
export interface ColumnMap {
  /** Number of fields in the header; every row must have exactly as many. */
  readonly count: number;
  /** 0-based position of each column present in the header. */
  readonly index: { readonly [C in Column]?: number };
}

export type HeaderResult = { ok: true; columns: ColumnMap } | { ok: false; error: string };

export interface InsuredAddress {
  readonly line: string;
  readonly postalCode: string;
  readonly city: string;
}

/** One valid row: an insured person, with the INS and traits, contacts and address. */
export interface InsuredRow {
  /** Matricule INS: 15 characters, spaces removed, upper-case. */
  readonly nir: string;
  readonly insOid: InsOid;
  readonly traits: InsTraits;
  readonly usedName?: string;
  /** Serial number of the carte Vitale, digits only. */
  readonly vitaleSerial?: string;
  readonly email?: string;
  /** International format without spaces, e.g. "+33612345678". */
  readonly phone?: string;
  readonly address: InsuredAddress;
  /** For an ayant droit: the NIR of the ouvrant droit whose insurance covers this person. */
  readonly coveredByNir?: string;
}

export type RowResult = { ok: true; row: InsuredRow } | { ok: false; reason: string };

const COLUMN_SET: ReadonlySet<string> = new Set(COLUMNS);

/** Checks the header fields: known names (surrounding spaces ignored), no duplicate, required ones present. */
export function parseHeader(fields: readonly string[]): HeaderResult {
  const problems: string[] = [];
  const index: { [C in Column]?: number } = {};
  const unknown: string[] = [];
  fields.forEach((raw, i) => {
    const name = (i === 0 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (name === '') {
      problems.push(`column ${i + 1} has no name`);
    } else if (!COLUMN_SET.has(name)) {
      const near = COLUMNS.find((c) => c === name.toLowerCase().replace(/[\s-]+/g, '_'));
      unknown.push(near ? `${quoted(name)} (did you mean "${near}"?)` : quoted(name));
    } else if (index[name as Column] !== undefined) {
      problems.push(`column "${name}" appears more than once`);
    } else {
      index[name as Column] = i;
    }
  });
  if (unknown.length > 1 && Object.keys(index).length === 0) {
    return { ok: false, error: `the first line holds no known column name: is the header row missing? The columns are ${COLUMNS.join(', ')}` };
  }
  if (unknown.length > 0) {
    problems.unshift(
      `unknown ${unknown.length === 1 ? 'column' : 'columns'} ${unknown.join(', ')}; the allowed columns are ${COLUMNS.join(', ')}`,
    );
  }
  const missing = COLUMNS.filter((c) => !OPTIONAL_COLUMNS.has(c) && index[c] === undefined);
  if (missing.length > 0) {
    problems.push(`missing required ${missing.length === 1 ? 'column' : 'columns'} ${missing.join(', ')}`);
  }
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, columns: { count: fields.length, index } };
}

const OIDS: readonly string[] = Object.values(INS_OID);
/** A surname: letters, with single or repeated spaces, hyphens or apostrophes between them ("Dupont--Martin"). */
const NAME = /^[\p{L}\p{M}]+(?:[ '’-]+[\p{L}\p{M}]+)*$/u;
/** One given name: as NAME, without spaces ("Jean-Baptiste", "Anne-Laure"). */
const GIVEN_NAME = /^[\p{L}\p{M}]+(?:['’-]+[\p{L}\p{M}]+)*$/u;
const CONTROL = /[\u0000-\u001f\u007f]/;
const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[ \t]*(?:\r\n|\n|\r)\s*/g;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BIRTH_PLACE = /^(?:\d{5}|2[AB]\d{3})$/;
const EMAIL = /^[^\s@;,<>"()[\]\\]+@[^\s@;,<>"()[\]\\]+\.[^\s@;,<>"()[\]\\]+$/;

/** An e-mail address as Carnet accepts one anywhere (population files, accounts): simple, at most 254 characters. */
export function isEmailAddress(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}
const MAX_NAME = 100;
const MAX_TEXT = 200;
/** Oldest accepted birth date, in years before the import date. */
const MAX_AGE = 130;

/**
 * Checks one row against the header's column map. `today` is the import date (its UTC day): a birth date
 * after it is refused. The reason names the columns at fault; it never quotes a NIR.
 */
export function validateRow(fields: readonly string[], columns: ColumnMap, today: Date): RowResult {
  if (fields.length !== columns.count) {
    return fail(`row has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, expected ${columns.count} as in the header`);
  }
  const index = columns.index;
  const value = (i: number | undefined): string => (i === undefined ? '' : fields[i]!.trim());
  const problems: string[] = [];

  const nirText = value(index.nir);
  const oidText = value(index.ins_oid);
  const birthName = nfc(value(index.birth_name));
  const firstGivenName = nfc(value(index.first_given_name));
  const givenNamesText = nfc(value(index.given_names));
  const usedName = nfc(value(index.used_name));
  const birthDate = value(index.birth_date);
  const sexText = value(index.sex).toUpperCase();
  const birthPlace = value(index.birth_place).toUpperCase();
  const vitaleText = value(index.vitale_serial);
  const vitaleSerial = vitaleText.includes(' ') ? vitaleText.replace(/\s+/g, '') : vitaleText;
  const email = value(index.email);
  const phoneText = value(index.phone);
  const addressText = value(index.address_line);
  const addressLine = nfc(LINE_BREAK.test(addressText) ? addressText.replace(LINE_BREAKS, ', ') : addressText);
  const postalCode = value(index.postal_code);
  const city = nfc(value(index.city));
  const coveredText = value(index.covered_by_nir);

  const missing: Column[] = [];
  if (nirText === '') missing.push('nir');
  if (birthName === '') missing.push('birth_name');
  if (firstGivenName === '') missing.push('first_given_name');
  if (givenNamesText === '') missing.push('given_names');
  if (birthDate === '') missing.push('birth_date');
  if (sexText === '') missing.push('sex');
  if (birthPlace === '') missing.push('birth_place');
  if (vitaleSerial === '' && coveredText === '') missing.push('vitale_serial');
  if (addressLine === '') missing.push('address_line');
  if (postalCode === '') missing.push('postal_code');
  if (city === '') missing.push('city');
  if (missing.length > 0) {
    let message = `${listOf(missing)} ${missing.length === 1 ? 'is' : 'are'} missing`;
    if (missing.includes('vitale_serial')) message += ' (vitale_serial is required unless covered_by_nir is set)';
    problems.push(message);
  }

  // Line breaks are only allowed in address_line (they become ", "); test everything at once first.
  if (CONTROL.test(fields.join(''))) {
    for (const column of COLUMNS) {
      if (column !== 'address_line' && CONTROL.test(value(index[column]))) {
        problems.push(`${column} contains a line break or a control character`);
      }
    }
  }

  let insOid: InsOid = INS_OID.NIR;
  if (oidText !== '') {
    if (OIDS.includes(oidText)) insOid = oidText as InsOid;
    else problems.push(`ins_oid must be one of ${OIDS.join(', ')}, got ${quoted(oidText)}`);
  }

  const sex: InsSex | undefined = sexText === 'M' || sexText === 'F' || sexText === 'I' ? sexText : undefined;
  if (sexText !== '' && sex === undefined) problems.push(`sex must be M, F or I, got ${quoted(sexText)}`);

  let dateOk = false;
  if (birthDate !== '') {
    const dateProblem = checkBirthDate(birthDate, today);
    if (dateProblem) problems.push(dateProblem);
    else dateOk = true;
  }

  let nir: string | undefined;
  if (nirText !== '') {
    const parsed = parseNir(nirText, { temporary: insOid === INS_OID.NIA });
    if (!parsed.ok) {
      problems.push(`nir: ${parsed.error}`);
    } else {
      nir = parsed.nir.value;
      if (sex !== undefined && sex !== 'I' && parsed.nir.sex !== (sex === 'M' ? '1' : '2')) {
        problems.push(`nir: sex digit is ${parsed.nir.sex} but sex is ${sex}`);
      }
      if (dateOk) {
        if (parsed.nir.birthYear !== birthDate.slice(2, 4)) {
          problems.push(`nir: birth year ${parsed.nir.birthYear} does not match birth_date`);
        }
        const month = Number(parsed.nir.birthMonth);
        if (month >= 1 && month <= 12 && parsed.nir.birthMonth !== birthDate.slice(5, 7)) {
          problems.push(`nir: birth month ${parsed.nir.birthMonth} does not match birth_date`);
        }
      }
    }
  }

  checkName('birth_name', birthName, problems);
  checkName('used_name', usedName, problems);
  let givenNames: string[] = [];
  let firstOk = false;
  if (firstGivenName !== '') {
    if (firstGivenName.length > MAX_NAME) problems.push(`first_given_name is longer than ${MAX_NAME} characters`);
    else if (/\s/.test(firstGivenName)) problems.push('first_given_name must be a single given name (no spaces)');
    else if (!GIVEN_NAME.test(firstGivenName)) {
      problems.push('first_given_name may only hold letters, hyphens and apostrophes');
    } else firstOk = true;
  }
  if (givenNamesText !== '') {
    givenNames = givenNamesText.split(/\s+/);
    if (givenNamesText.length > MAX_TEXT) problems.push(`given_names is longer than ${MAX_TEXT} characters`);
    else if (!givenNames.every((g) => GIVEN_NAME.test(g))) {
      problems.push('given_names may only hold given names (letters, hyphens and apostrophes) separated by spaces');
    } else if (firstOk && givenNames[0] !== firstGivenName) {
      problems.push('given_names must start with first_given_name');
    }
  }

  if (birthPlace !== '') {
    if (!BIRTH_PLACE.test(birthPlace)) {
      problems.push(`birth_place must be an INSEE code of 5 characters (commune, or 99 and a country), got ${quoted(birthPlace)}`);
    } else if (!isBirthPlaceDepartment(birthPlace.slice(0, 2))) {
      problems.push(`birth_place starts with ${birthPlace.slice(0, 2)}, which is not a department (01–95, 2A, 2B, 97, 98) nor 99 (abroad)`);
    }
  }

  if (vitaleSerial !== '' && !/^\d{8,13}$/.test(vitaleSerial)) problems.push('vitale_serial must have 8 to 13 digits');

  let normalizedEmail: string | undefined;
  if (email !== '') {
    if (!isEmailAddress(email)) problems.push('email is not a valid e-mail address');
    else {
      const at = email.lastIndexOf('@');
      normalizedEmail = email.slice(0, at) + email.slice(at).toLowerCase();
    }
  }

  let phone: string | undefined;
  if (phoneText !== '') {
    phone = normalizePhone(phoneText);
    if (phone === undefined) {
      problems.push('phone is not a phone number (expected e.g. 06 12 34 56 78 or +33 6 12 34 56 78)');
    }
  }

  if (addressLine !== '') {
    if (addressLine.length > MAX_TEXT) problems.push(`address_line is longer than ${MAX_TEXT} characters`);
    else if (CONTROL.test(addressLine)) problems.push('address_line contains a control character');
  }
  if (postalCode !== '' && !/^\d{5}$/.test(postalCode)) {
    problems.push(
      /^\d{4}$/.test(postalCode)
        ? `postal_code must have 5 digits, got "${postalCode}" (a leading zero dropped by a spreadsheet?)`
        : `postal_code must have 5 digits, got ${quoted(postalCode)}`,
    );
  }
  if (city !== '') {
    if (city.length > MAX_NAME) problems.push(`city is longer than ${MAX_NAME} characters`);
    else if (!/\p{L}/u.test(city)) problems.push('city must hold letters');
  }

  let coveredByNir: string | undefined;
  if (coveredText !== '') {
    const parsed = parseNir(coveredText);
    if (!parsed.ok) problems.push(`covered_by_nir: ${parsed.error}`);
    else if (nir !== undefined && parsed.nir.value === nir) problems.push('covered_by_nir must differ from nir');
    else coveredByNir = parsed.nir.value;
  }

  if (problems.length > 0 || nir === undefined || sex === undefined) return fail(problems.join('; '));

  const row: {
    -readonly [K in keyof InsuredRow]: InsuredRow[K];
  } = {
    nir,
    insOid,
    traits: { birthName, firstGivenName, givenNames, birthDate, sex, birthPlaceCode: birthPlace },
    address: { line: addressLine, postalCode, city },
  };
  if (usedName !== '') row.usedName = usedName;
  if (vitaleSerial !== '') row.vitaleSerial = vitaleSerial;
  if (normalizedEmail !== undefined) row.email = normalizedEmail;
  if (phone !== undefined) row.phone = phone;
  if (coveredByNir !== undefined) row.coveredByNir = coveredByNir;
  return { ok: true, row };
}

/** The fields of a row, in `COLUMNS` order. */
export function rowFields(row: InsuredRow): string[] {
  const t = row.traits;
  return [
    row.nir,
    row.insOid,
    t.birthName,
    t.firstGivenName,
    t.givenNames.join(' '),
    row.usedName ?? '',
    t.birthDate,
    t.sex,
    t.birthPlaceCode,
    row.vitaleSerial ?? '',
    row.email ?? '',
    row.phone ?? '',
    row.address.line,
    row.address.postalCode,
    row.address.city,
    row.coveredByNir ?? '',
  ];
}

/** One CSV line (no line terminator) for `HEADER`. */
export function formatRow(row: InsuredRow): string {
  return formatCsvRecord(rowFields(row));
}

/** National numbers of the overseas departments, which have their own country codes. */
const OVERSEAS_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['0262', '+262'], ['0263', '+262'], ['0692', '+262'], ['0693', '+262'], // La Réunion
  ['0269', '+262'], ['0639', '+262'], // Mayotte
  ['0590', '+590'], ['0690', '+590'], ['0691', '+590'], // Guadeloupe, Saint-Martin, Saint-Barthélemy
  ['0594', '+594'], ['0694', '+594'], // Guyane
  ['0596', '+596'], ['0696', '+596'], ['0697', '+596'], // Martinique
];

/**
 * A phone number in international format without spaces, or undefined if it is not one. French national
 * numbers ("06 12 34 56 78", "06.12.34.56.78", "0033 6…", "+33 (0)6…") become "+33612345678" (overseas
 * departments get their own code: "0692…" becomes "+262692…"); other international numbers are kept.
 */
export function normalizePhone(input: string): string | undefined {
  let s = input.replace(/\(0\)/g, '').replace(/[\s.\-/()]/g, '');
  if (/^0\d{9}$/.test(s)) {
    // National format: 0 then 9 digits, the first of which is not 0.
    if (s[1] === '0') return undefined;
    const overseas = OVERSEAS_PREFIXES.find(([prefix]) => s.startsWith(prefix));
    return (overseas ? overseas[1] : '+33') + s.slice(1);
  }
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (s.startsWith('+33')) {
    if (/^\+330[1-9]\d{8}$/.test(s)) return `+33${s.slice(4)}`;
    return /^\+33[1-9]\d{8}$/.test(s) ? s : undefined;
  }
  return /^\+[1-9]\d{7,14}$/.test(s) ? s : undefined;
}

function checkBirthDate(text: string, today: Date): string | undefined {
  const m = DATE.exec(text);
  if (!m) return `birth_date must be a date in the form YYYY-MM-DD, got ${quoted(text)}`;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return `birth_date ${text} is not a valid date`;
  const todayText = dayOf(today);
  if (text > todayText) return `birth_date ${text} is after the import date ${todayText}`;
  if (year < Number(todayText.slice(0, 4)) - MAX_AGE) return `birth_date ${text} is more than ${MAX_AGE} years ago`;
  return undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

let lastDay = { time: NaN, text: '' };
/** YYYY-MM-DD of a date's UTC day (the same import date comes with every row: remember the last one). */
function dayOf(date: Date): string {
  const time = date.getTime();
  if (time !== lastDay.time) lastDay = { time, text: date.toISOString().slice(0, 10) };
  return lastDay.text;
}

function checkName(column: Column, name: string, problems: string[]): void {
  if (name === '') return;
  if (name.length > MAX_NAME) problems.push(`${column} is longer than ${MAX_NAME} characters`);
  else if (!NAME.test(name)) problems.push(`${column} may only hold letters, spaces, hyphens and apostrophes`);
}

function isBirthPlaceDepartment(department2: string): boolean {
  if (department2 === '2A' || department2 === '2B') return true;
  const n = Number(department2);
  return (n >= 1 && n <= 95 && n !== 20) || n === 97 || n === 98 || n === 99;
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A value echoed in a reason: quoted and cut at 40 characters, and never what could be a NIR (a long run of
 * digits), since a misplaced column may hold another person's NIR.
 */
function quoted(text: string): string {
  if (/\d{10,}/.test(text.replace(/\s+/g, ''))) return `a value of ${text.length} characters`;
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
}

/** NFC form (files written on macOS may hold decomposed accents); ASCII text is returned as is. */
function nfc(text: string): string {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return text.normalize('NFC');
  return text;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
