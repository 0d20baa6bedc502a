/**
 * Generator of realistic population files (docs/population-file.md) for tests, demos and load runs:
 * fictitious people with French names, consistent NIRs, real places. Deterministic for a given seed and
 * import date; about a microsecond or two per row.
 */
import { Prng } from '../../../bench/prng.js';
import { INS_OID, type InsOid, type InsSex } from '../ins/ins.js';
import { formatCsvField, SEPARATOR } from './csv.js';
import {
  BUILDING_NAMES,
  CITIES,
  COUNTRIES,
  EMAIL_DOMAINS,
  EPICENE_GIVEN_NAMES,
  FAMILY_NAMES,
  FEMALE_GIVEN_NAMES,
  MALE_GIVEN_NAMES,
  STREETS,
  type City,
  type DatedName,
} from './data.js';
import { COLUMNS, HEADER, rowFields, type Column, type InsuredAddress, type InsuredRow } from './row.js';

/** The deliberate mistakes of bad rows, each with a reason `validateRow` gives. */
export const BAD_ROW_KINDS = ['nir-key', 'missing-birth-name', 'bad-birth-date', 'nir-sex-mismatch'] as const;
export type BadRowKind = (typeof BAD_ROW_KINDS)[number];

export interface PopulationOptions {
  /** Number of rows, header not counted. */
  readonly count: number;
  readonly seed: number;
  /** Share of adults without an e-mail address (children never have one). Default 0.15. */
  readonly noEmailRatio?: number;
  /** Share of rows that are children (ayants droit, under 18) covered by an earlier adult. Default 0.3. */
  readonly childRatio?: number;
  /** Share of rows made wrong on purpose (see `BAD_ROW_KINDS`). Default 0. */
  readonly badRowRatio?: number;
  /** The import date: ages are counted at this day (UTC). */
  readonly today: Date;
  /** Written in the ins_oid column. Default INS-NIR (1.2.250.1.213.1.4.8). */
  readonly insOid?: InsOid;
}

export interface GeneratedRow {
  /** The CSV line, without line terminator. */
  readonly line: string;
  /**
   * The person the line describes, as `validateRow` returns it for a good line. For a bad row, the person
   * before the mistake was made.
   */
  readonly row: InsuredRow;
  readonly bad?: BadRowKind;
}

/** The lines of a population file, header first, without line terminators. */
export function* generatePopulation(options: PopulationOptions): Generator<string, void, undefined> {
  const generator = new PopulationGenerator(options);
  yield HEADER;
  for (let i = 0; i < options.count; i++) yield generator.next().line;
}

/** The rows of a population file with what they hold, for tests that need to know. */
export function* generateRows(options: PopulationOptions): Generator<GeneratedRow, void, undefined> {
  const generator = new PopulationGenerator(options);
  for (let i = 0; i < options.count; i++) yield generator.next();
}

const DAY_MS = 86_400_000;
/** An NIR order number runs from 001 to 999 per sex, year, month and place of birth. */
const ORDERS = 999;
const PARENT_POOL = 512;
/** How many children a parent of the pool may get: [count, weight]. */
const FAMILY_SIZES: ReadonlyArray<readonly [number, number]> = [[1, 30], [2, 40], [3, 20], [4, 8], [5, 2]];
const COLUMN_INDEX = new Map<Column, number>(COLUMNS.map((c, i) => [c, i]));
const PHONE = COLUMN_INDEX.get('phone')!;
const ADDRESS = COLUMN_INDEX.get('address_line')!;

interface Place {
  /** INSEE code written in birth_place, and the department and commune of the NIR: the same 5 characters. */
  readonly code: string;
  /** The code as a number, for the NIR key (2A → 19, 2B → 18). */
  readonly nirValue: number;
  readonly weight: number;
  /** Births here get this code only from this year on (Corsica split in 1976). */
  readonly fromYear: number;
}

interface Home {
  readonly city: City;
  /** Index of the arrondissement for Paris, Marseille and Lyon, else 0. */
  readonly district: number;
  readonly address: InsuredAddress;
}

interface Parent {
  readonly nir: string;
  readonly birthDays: number;
  readonly familyName: string;
  readonly home: Home;
  readonly maxChildren: number;
  /** First given names of the children so far (siblings get different ones). */
  readonly children: string[];
}

const nfc = (s: string) => s.normalize('NFC');
const MALE = MALE_GIVEN_NAMES.map(([n, y]) => [nfc(n), y] as const);
const FEMALE = FEMALE_GIVEN_NAMES.map(([n, y]) => [nfc(n), y] as const);
const EPICENE = EPICENE_GIVEN_NAMES.map(nfc);
const FAMILY = FAMILY_NAMES.map(nfc);

/** Index in PLACES of each city's first place. */
const CITY_PLACE = new Map<City, number>();
/** Birth places in France: every city (arrondissements for Paris, Marseille, Lyon), then the countries. */
const PLACES: readonly Place[] = buildPlaces();
const FRENCH_PLACES = PLACES.filter((p) => !p.code.startsWith('99')).length;

function buildPlaces(): Place[] {
  const places: Place[] = [];
  const place = (code: string, weight: number, fromYear: number): Place => ({
    code,
    nirValue: Number(code.replace(/^2A/, '19').replace(/^2B/, '18')),
    weight,
    fromYear,
  });
  for (const city of CITIES) {
    CITY_PLACE.set(city, places.length);
    const corsica = /^2[AB]/.test(city.insee);
    const fromYear = corsica ? 1976 : city.insee.startsWith('97') ? 1950 : 0;
    if (city.districts) {
      for (let k = 0; k < city.districts.count; k++) {
        places.push(place(String(city.districts.insee + k), city.weight / city.districts.count, fromYear));
      }
    } else {
      places.push(place(city.insee, city.weight, fromYear));
    }
  }
  for (const [code, weight] of COUNTRIES) places.push(place(code, weight, 0));
  return places;
}

class PopulationGenerator {
  private readonly rng: Prng;
  private readonly noEmailRatio: number;
  private readonly childRatio: number;
  private readonly badRowRatio: number;
  private readonly insOid: InsOid;
  private readonly todayYear: number;
  private readonly todayMonth: number;
  private readonly todayDay: number;
  private readonly todayDays: number;
  private readonly orderCounts = new Uint16Array(2 * 100 * 12 * PLACES.length);
  private readonly orderSalt: number;
  private readonly serialSalt: number;
  private serials = 0;
  private readonly parents: Parent[] = [];
  private readonly frenchPlaceWeights: Float64Array;
  private readonly cityWeights: Float64Array;
  private readonly countryWeights: Float64Array;
  private readonly namesByYear = new Map<number, { male: string[]; female: string[] }>();
  private readonly slugs = new Map<string, string>();

  constructor(options: PopulationOptions) {
    const { count, seed, today } = options;
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    if (!(today instanceof Date) || Number.isNaN(today.getTime())) throw new RangeError('today must be a valid Date');
    this.noEmailRatio = ratio('noEmailRatio', options.noEmailRatio ?? 0.15);
    this.childRatio = ratio('childRatio', options.childRatio ?? 0.3);
    this.badRowRatio = ratio('badRowRatio', options.badRowRatio ?? 0);
    this.insOid = options.insOid ?? INS_OID.NIR;
    this.rng = new Prng(seed);
    this.orderSalt = this.rng.u32();
    this.serialSalt = this.rng.u32();
    this.todayYear = today.getUTCFullYear();
    this.todayMonth = today.getUTCMonth() + 1;
    this.todayDay = today.getUTCDate();
    this.todayDays = Math.floor(Date.UTC(this.todayYear, this.todayMonth - 1, this.todayDay) / DAY_MS);
    this.frenchPlaceWeights = cumulative(PLACES.slice(0, FRENCH_PLACES).map((p) => p.weight));
    this.countryWeights = cumulative(PLACES.slice(FRENCH_PLACES).map((p) => p.weight));
    this.cityWeights = cumulative(CITIES.map((c) => c.weight));
  }

  next(): GeneratedRow {
    const rng = this.rng;
    const bad = this.badRowRatio > 0 && rng.chance(this.badRowRatio) ? rng.pick(BAD_ROW_KINDS) : undefined;
    const parentIndex = this.parents.length > 0 && rng.chance(this.childRatio) ? rng.int(0, this.parents.length - 1) : -1;
    const parent = parentIndex >= 0 ? this.parents[parentIndex] : undefined;
    const person = parent ? this.child(parent) : this.adult();
    const row = person.row;

    const fields = rowFields(row);
    if (person.phoneText !== undefined) fields[PHONE] = person.phoneText;
    if (bad !== undefined) spoil(fields, bad, row);

    if (parent) {
      parent.children.push(row.traits.firstGivenName);
      if (parent.children.length >= parent.maxChildren) this.removeParent(parentIndex);
    } else if (bad === undefined) {
      const age = this.todayDays - person.birthDays;
      if (age >= 20 * 365.25 && age < 61 * 365.25) {
        this.addParent({
          nir: row.nir,
          birthDays: person.birthDays,
          familyName: row.usedName ?? row.traits.birthName,
          home: person.home,
          maxChildren: rng.weighted(FAMILY_SIZES),
          children: [],
        });
      }
    }
    // Only the address may need quotes: names, codes, e-mails and phones of the lists never hold ; or ".
    fields[ADDRESS] = formatCsvField(fields[ADDRESS]!);
    const line = fields.join(SEPARATOR);
    return bad === undefined ? { line, row } : { line, row, bad };
  }

  private adult(): Person {
    const rng = this.rng;
    let age: number;
    do age = rng.int(18, 90);
    while (age > 60 && rng.next() < (age - 60) / 40);
    const birthDays = rng.int(this.yearsBefore(age + 1) + 1, this.yearsBefore(age));
    const sex: InsSex = rng.chance(0.515) ? 'F' : 'M';
    const birthName = rng.pick(FAMILY);
    let usedName: string | undefined;
    if ((sex === 'F' && age >= 23 && rng.chance(0.45)) || (sex === 'M' && rng.chance(0.01))) {
      do usedName = rng.pick(FAMILY);
      while (usedName === birthName);
    }
    const home = this.home();
    const abroad = rng.chance(0.08);
    const place = abroad
      ? FRENCH_PLACES + pickWeighted(this.countryWeights, rng.next())
      : pickWeighted(this.frenchPlaceWeights, rng.next());
    return this.person({ sex, birthDays, birthName, usedName, home, place, adult: true });
  }

  private child(parent: Parent): Person {
    const rng = this.rng;
    const lo = Math.max(parent.birthDays + Math.ceil(18 * 365.25), this.yearsBefore(18) + 1);
    const hi = Math.min(parent.birthDays + Math.floor(46 * 365.25), this.todayDays);
    const birthDays = rng.int(lo, hi);
    const sex: InsSex = rng.chance(0.001) ? 'I' : rng.chance(0.49) ? 'F' : 'M';
    const birthName = rng.chance(0.08) ? `${parent.familyName} ${rng.pick(FAMILY)}` : parent.familyName;
    const home = parent.home;
    const roll = rng.next();
    const place =
      roll < 0.7
        ? CITY_PLACE.get(home.city)! + home.district
        : roll < 0.96
          ? pickWeighted(this.frenchPlaceWeights, rng.next())
          : FRENCH_PLACES + pickWeighted(this.countryWeights, rng.next());
    return this.person({
      sex,
      birthDays,
      birthName,
      usedName: undefined,
      home,
      place,
      adult: false,
      coveredByNir: parent.nir,
      siblings: parent.children,
    });
  }

  private person(p: {
    sex: InsSex;
    birthDays: number;
    birthName: string;
    usedName: string | undefined;
    home: Home;
    place: number;
    adult: boolean;
    coveredByNir?: string;
    siblings?: readonly string[];
  }): Person {
    const rng = this.rng;
    const birth = new Date(p.birthDays * DAY_MS);
    const year = birth.getUTCFullYear();
    const month = birth.getUTCMonth() + 1;
    const birthDate = `${year}-${pad2(month)}-${pad2(birth.getUTCDate())}`;
    let givenNames = this.givenNames(p.sex, year);
    for (let tries = 0; tries < 5 && p.siblings?.includes(givenNames[0]!); tries++) givenNames = this.givenNames(p.sex, year);
    const sexDigit = p.sex === 'M' ? 1 : p.sex === 'F' ? 2 : rng.int(1, 2);
    const { place, order } = this.allocate(sexDigit, year, month, p.place);
    const { code, nirValue } = PLACES[place]!;
    // 97 − N mod 97, with N < 10^13 < 2^53 computed exactly from the parts.
    const key = 97 - ((sexDigit * 1e12 + (year % 100) * 1e10 + month * 1e8 + nirValue * 1e3 + order) % 97);
    const nir = `${sexDigit}${pad2(year % 100)}${pad2(month)}${code}${String(order).padStart(3, '0')}${pad2(key)}`;

    const ageYears = (this.todayDays - p.birthDays) / 365.25;
    let vitaleSerial: string | undefined;
    if (p.adult || (ageYears >= 16 && rng.chance(0.5))) vitaleSerial = this.serial();
    let email: string | undefined;
    let phoneText: string | undefined;
    let phone: string | undefined;
    if (p.adult) {
      if (!rng.chance(this.noEmailRatio)) email = this.email(givenNames[0]!, p.usedName ?? p.birthName);
      if (rng.chance(0.95)) [phoneText, phone] = this.mobile(p.home.city);
    }

    const row: { -readonly [K in keyof InsuredRow]: InsuredRow[K] } = {
      nir,
      insOid: this.insOid,
      traits: {
        birthName: p.birthName,
        firstGivenName: givenNames[0]!,
        givenNames,
        birthDate,
        sex: p.sex,
        birthPlaceCode: code,
      },
      address: p.home.address,
    };
    if (p.usedName !== undefined) row.usedName = p.usedName;
    if (vitaleSerial !== undefined) row.vitaleSerial = vitaleSerial;
    if (email !== undefined) row.email = email;
    if (phone !== undefined) row.phone = phone;
    if (p.coveredByNir !== undefined) row.coveredByNir = p.coveredByNir;
    return { row, birthDays: p.birthDays, home: p.home, phoneText };
  }

  /**
   * A place of birth and an order number, unique per sex, year, month and place: the preferred place if it
   * still has numbers for that month, else another one. Years are told apart by their last two digits, which
   * is enough since everybody is born within the last 92 years.
   */
  private allocate(sexDigit: number, year: number, month: number, preferred: number): { place: number; order: number } {
    const base = (((sexDigit - 1) * 100 + (year % 100)) * 12 + (month - 1)) * PLACES.length;
    const free = (place: number) => PLACES[place]!.fromYear <= year && this.orderCounts[base + place]! < ORDERS;
    let place = preferred;
    if (!free(place)) {
      const start = this.rng.int(0, PLACES.length - 1);
      let k = 0;
      while (k < PLACES.length && !free((start + k) % PLACES.length)) k++;
      if (k === PLACES.length) throw new Error(`no NIR order number left for people born in ${year}-${pad2(month)}`);
      place = (start + k) % PLACES.length;
    }
    const bucket = base + place;
    const n = this.orderCounts[bucket]!;
    this.orderCounts[bucket] = n + 1;
    // A permutation of 1..999 (41 is prime to 999), shifted per bucket so that numbers look random.
    return { place, order: ((n * 41 + (mix(bucket ^ this.orderSalt) % ORDERS)) % ORDERS) + 1 };
  }

  private givenNames(sex: InsSex, year: number): string[] {
    const rng = this.rng;
    if (sex === 'I') return [rng.pick(EPICENE)];
    const names = this.namesOf(year)[sex === 'M' ? 'male' : 'female'];
    const count = 1 + (rng.chance(0.55) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
    const out: string[] = [rng.pick(names)];
    for (let tries = 0; out.length < count && tries < 10; tries++) {
      const name = rng.pick(names);
      if (!out.includes(name)) out.push(name);
    }
    return out;
  }

  /** Names given around that year (within 15 years of their peak, or 25 if that leaves too few). */
  private namesOf(year: number): { male: string[]; female: string[] } {
    let names = this.namesByYear.get(year);
    if (!names) {
      const near = (list: readonly DatedName[]) => {
        for (const span of [15, 25, 200]) {
          const found = list.filter(([, peak]) => Math.abs(peak - year) <= span && peak <= year + 5).map(([n]) => n);
          if (found.length >= 8) return found;
        }
        return list.map(([n]) => n);
      };
      names = { male: near(MALE), female: near(FEMALE) };
      this.namesByYear.set(year, names);
    }
    return names;
  }

  private home(): Home {
    const rng = this.rng;
    const city = CITIES[pickWeighted(this.cityWeights, rng.next())]!;
    const district = city.districts ? rng.int(0, city.districts.count - 1) : 0;
    const postalCode = city.districts ? String(city.districts.postal + district).padStart(5, '0') : rng.pick(city.postalCodes);
    let number = String(rng.chance(0.7) ? rng.int(1, 60) : rng.int(61, 240));
    const suffix = rng.next();
    if (suffix < 0.05) number += ' bis';
    else if (suffix < 0.07) number += ' ter';
    let line = `${number} ${rng.pick(STREETS)}`;
    const complement = rng.next();
    if (complement < 0.04) line = `Appartement ${rng.int(1, 120)}, ${line}`;
    else if (complement < 0.06) line = `Bâtiment ${'ABCDEF'[rng.int(0, 5)]}, ${line}`;
    else if (complement < 0.08) line = `Résidence "${rng.pick(BUILDING_NAMES)}", ${line}`;
    return { city, district, address: { line, postalCode, city: city.name } };
  }

  private email(givenName: string, familyName: string): string {
    const rng = this.rng;
    const given = this.slug(givenName);
    const family = this.slug(familyName);
    const style = rng.next();
    const local = style < 0.7 ? `${given}.${family}` : style < 0.85 ? `${given}${family}` : `${given[0]}.${family}`;
    const number = rng.chance(0.25) ? String(rng.int(1, 99)) : '';
    return `${local}${number}@${rng.pick(EMAIL_DOMAINS)}`;
  }

  /** Lower case, no accents, apostrophes and spaces dropped ("N'Diaye" → "ndiaye"), hyphens kept. */
  private slug(name: string): string {
    let slug = this.slugs.get(name);
    if (slug === undefined) {
      slug = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z-]/g, '');
      this.slugs.set(name, slug);
    }
    return slug;
  }

  /**
   * A mobile number as written in the file, in one of the ways people write them (overseas, with the local
   * prefixes), and in the international form `validateRow` gives.
   */
  private mobile(city: City): [text: string, international: string] {
    const rng = this.rng;
    const prefix = city.mobile ? rng.pick(city.mobile.prefixes) : rng.chance(0.7) ? '06' : `07${rng.int(3, 9)}`;
    const width = 10 - prefix.length;
    let digits: string;
    // 0639 and 069x are the mobile numbers of the overseas departments: not for mainland people.
    do digits = prefix + String(rng.int(0, 10 ** width - 1)).padStart(width, '0');
    while (prefix === '06' && (digits[2] === '9' || digits.startsWith('0639')));
    const callingCode = city.mobile?.callingCode ?? '+33';
    const international = callingCode + digits.slice(1);
    const style = rng.next();
    const pairs = (separator: string) =>
      [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6), digits.slice(6, 8), digits.slice(8)].join(separator);
    if (style < 0.5) return [pairs(' '), international];
    if (style < 0.75) return [digits, international];
    if (style < 0.9) {
      const rest = `${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6, 8)} ${digits.slice(8)}`;
      return [city.mobile ? `${callingCode} ${digits.slice(1, 4)} ${rest.slice(3)}` : `+33 ${digits[1]} ${rest}`, international];
    }
    return [pairs('.'), international];
  }

  /** 11 digits, unique within the file: a bijection of the counter (mix is one on 32 bits), times 20, plus noise. */
  private serial(): string {
    const n = this.serials++;
    return String(10_000_000_000 + mix((n ^ this.serialSalt) >>> 0) * 20 + (mix(n + 1) % 20));
  }

  /** Days since 1970 of the day `years` years before the import date (29 February → 28 if need be). */
  private yearsBefore(years: number): number {
    const year = this.todayYear - years;
    let day = this.todayDay;
    if (this.todayMonth === 2 && day === 29 && !isLeap(year)) day = 28;
    return Math.floor(Date.UTC(year, this.todayMonth - 1, day) / DAY_MS);
  }

  /** Adds a possible parent; once the pool is full, the newcomer takes the place of a random one. */
  private addParent(parent: Parent): void {
    if (this.parents.length < PARENT_POOL) this.parents.push(parent);
    else this.parents[this.rng.int(0, PARENT_POOL - 1)] = parent;
  }

  private removeParent(index: number): void {
    const last = this.parents.pop()!;
    if (index < this.parents.length) this.parents[index] = last;
  }
}

interface Person {
  readonly row: InsuredRow;
  readonly birthDays: number;
  readonly home: Home;
  /** The phone as written in the file (the row holds it normalised). */
  readonly phoneText: string | undefined;
}

/** Makes one mistake in the fields of a good row. */
function spoil(fields: string[], kind: BadRowKind, row: InsuredRow): void {
  const at = (column: Column) => COLUMN_INDEX.get(column)!;
  switch (kind) {
    case 'nir-key': {
      const key = Number(row.nir.slice(13));
      fields[at('nir')] = row.nir.slice(0, 13) + pad2((key % 97) + 1);
      break;
    }
    case 'missing-birth-name':
      fields[at('birth_name')] = '';
      break;
    case 'bad-birth-date': {
      const [y, m, d] = row.traits.birthDate.split('-');
      // Either the French way of writing dates, or a day that does not exist.
      fields[at('birth_date')] = Number(d) % 2 === 0 ? `${d}/${m}/${y}` : `${y}-02-30`;
      break;
    }
    case 'nir-sex-mismatch':
      fields[at('sex')] = row.nir[0] === '1' ? 'F' : 'M';
      break;
  }
}

function ratio(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    out[i] = total;
  });
  return out;
}

/** Index drawn with probability proportional to its weight, `u` uniform in [0, 1). */
function pickWeighted(cumulativeWeights: Float64Array, u: number): number {
  const target = u * cumulativeWeights[cumulativeWeights.length - 1]!;
  let lo = 0;
  let hi = cumulativeWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulativeWeights[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function mix(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
