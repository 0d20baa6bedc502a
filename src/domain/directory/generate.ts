/**
 * Generator of realistic directory extracts (docs/directory.md) for tests, demos and load runs: a
 * PS_LibreAcces_Personne_activite file (56 columns, or the 52 of the legacy layout) and the matching
 * Extraction_Correspondance_MSSante file. Fictitious people with French names (accents included), the real
 * profession mix, RPPS numbers with valid Luhn keys and some ADELI numbers, about a fifth of the people on
 * several lines (sites or specialties), structures shared by several people (hospitals with FINESS numbers,
 * group practices with SIRET numbers), real cities with their postal and INSEE codes. Deterministic for a
 * given seed; a few microseconds per line.
 */
import { Prng } from '../../../bench/prng.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, type City } from '../population/data.js';
import { ACTIVITY_HEADER, MAILBOX_HEADER, SEPARATOR } from './columns.js';
import {
  CATEGORIES,
  CITIES,
  DENTIST_SKILLS,
  DEPARTMENTS,
  DOCTOR_SKILLS,
  HOSPITAL_SERVICES,
  MODES,
  PHARMACIST_SECTIONS,
  PLACE_NAMES,
  PROFESSIONS,
  SAINTS,
  SECTORS,
  STREET_NAMES,
  STREET_TYPES,
  phonePrefix,
  type Profession,
  type Skill,
} from './data.js';
import { luhnCheckDigit, makeFiness, makeRpps } from './luhn.js';

/** The deliberate mistakes of bad lines; each is rejected with the reason BAD_LINE_REASONS matches. */
export const BAD_LINE_KINDS = ['rpps-key', 'adeli-length', 'idnat-mismatch', 'unknown-id-type', 'missing-name', 'missing-profession', 'field-count'] as const;
export type BadLineKind = (typeof BAD_LINE_KINDS)[number];

export const BAD_LINE_REASONS: Readonly<Record<BadLineKind, RegExp>> = {
  'rpps-key': /^malformed RPPS '\d{11}': 11 digits with a valid Luhn key expected$/,
  'adeli-length': /^malformed ADELI '[0-9A-Z]{8}': 9 characters expected$/,
  'idnat-mismatch': /^Identification nationale PP '\d{12}' is not the identifier type followed by the identifier/,
  'unknown-id-type': /^unknown identifier type '3'/,
  'missing-name': /^missing name \(Nom d'exercice\)$/,
  'missing-profession': /^missing profession code \(Code profession\)$/,
  'field-count': /^wrong number of fields: 46 instead of (56|52)$/,
};

/** Who some of the first people are (the demo wants a few look-alikes of its professionals). */
export interface PersonSpec {
  readonly family?: string;
  readonly given?: string;
  readonly female?: boolean;
  /** TRE_G15 code. */
  readonly profession?: string;
  /** A city of the generator's list, by name ("Paris", "Besançon"...). */
  readonly city?: string;
  /** Number of lines (practice situations). */
  readonly lines?: number;
}

export interface DirectoryGeneratorOptions {
  /** Number of data lines, header not counted. */
  readonly lines: number;
  readonly seed: number;
  /** Share of lines made wrong on purpose (see BAD_LINE_KINDS). Default 0. */
  readonly badRatio?: number;
  /** The 52-column layout of the 2018-2021 extracts. */
  readonly legacy?: boolean;
  /** The first people, as given. */
  readonly people?: readonly PersonSpec[];
}

export interface Place {
  readonly city: string;
  readonly insee: string;
  readonly postalCode: string;
  readonly department: string;
}

export type StructureKind = 'hospital' | 'clinic' | 'group' | 'centre' | 'pharmacy' | 'lab' | 'cabinet';

export interface Structure {
  readonly kind: StructureKind;
  /** Identifiant technique de la structure. */
  readonly id: string;
  readonly siret: string;
  readonly siren: string;
  readonly finessSite: string;
  readonly finessEj: string;
  readonly name: string;
  readonly tradeName: string;
  readonly geo: string;
  readonly number: string;
  readonly index: string;
  readonly streetTypeCode: string;
  readonly streetTypeLabel: string;
  readonly street: string;
  readonly distribution: string;
  readonly cedex: string;
  readonly place: Place;
  readonly phone: string;
  readonly fax: string;
  readonly email: string;
  readonly sectorCode: string;
  readonly sectorLabel: string;
}

export interface Situation {
  readonly structure: Structure | undefined;
  readonly mode: keyof typeof MODES;
  readonly category: keyof typeof CATEGORIES;
  readonly skill: Skill | undefined;
  readonly section: keyof typeof PHARMACIST_SECTIONS | undefined;
}

export interface GeneratedPerson {
  readonly idType: '8' | '0';
  readonly identifier: string;
  readonly idnat: string;
  readonly female: boolean;
  readonly practiceCivility: '' | 'DR' | 'PR';
  readonly family: string;
  readonly given: string;
  readonly profession: Profession;
  readonly situations: readonly Situation[];
}

export interface GeneratedLine {
  /** The line, without line terminator. */
  readonly line: string;
  /** The person the line is about (for a bad line: before the mistake was made). */
  readonly person: GeneratedPerson;
  /** Which of the person's situations the line is. */
  readonly situation: number;
  readonly bad?: BadLineKind;
}

/** The header line of an activity extract. */
export function activityHeader(legacy = false): string {
  return (legacy ? ACTIVITY_HEADER.slice(0, 52) : ACTIVITY_HEADER).join(SEPARATOR) + SEPARATOR;
}

/** The header line of an MSSanté extract. */
export function mailboxHeader(): string {
  return MAILBOX_HEADER.join(SEPARATOR) + SEPARATOR;
}

/** The lines of a PS_LibreAcces_Personne_activite file, header first, without line terminators. */
export function* generateDirectory(options: DirectoryGeneratorOptions): Generator<string, void, undefined> {
  yield activityHeader(options.legacy);
  for (const g of generateDirectoryLines(options)) yield g.line;
}

/** The data lines of an activity file with what they hold, for tests that need to know. */
export function* generateDirectoryLines(options: DirectoryGeneratorOptions): Generator<GeneratedLine, void, undefined> {
  const generator = new DirectoryGenerator(options);
  let left = options.lines;
  while (left > 0) {
    const entry = generator.next();
    const count = Math.min(left, entry.person.situations.length);
    for (let k = 0; k < count; k++) {
      let fields = activityFields(entry.person, entry.person.situations[k]!);
      if (entry.bad) fields = corrupt(fields, entry.bad);
      if (options.legacy) fields = fields.slice(0, entry.bad === 'field-count' ? 46 : 52);
      yield { line: fields.join(SEPARATOR) + SEPARATOR, person: entry.person, situation: k, ...(entry.bad ? { bad: entry.bad } : {}) };
    }
    left -= count;
  }
}

/**
 * The lines of the Extraction_Correspondance_MSSante file that goes with the activity file of the same
 * options, header first: personal mailboxes (PER) for a share of the people that depends on their
 * profession (prenom.nom@medecin.mssante.fr...), and organisational ones (ORG) for some structures.
 */
export function* generateMailboxes(options: DirectoryGeneratorOptions): Generator<string, void, undefined> {
  yield mailboxHeader();
  const generator = new DirectoryGenerator(options);
  const prng = new Prng((options.seed ^ 0x5bd1e995) >>> 0);
  const taken = new Set<string>();
  const structuresDone = new Set<string>();
  const unique = (local: string, domain: string) => {
    let address = `${local}@${domain}`;
    for (let n = 2; taken.has(address); n++) address = `${local}${n}@${domain}`;
    taken.add(address);
    return address;
  };
  let left = options.lines;
  while (left > 0) {
    const { person, bad } = generator.next();
    left -= Math.min(left, person.situations.length);
    if (bad) continue;
    const first = person.situations[0]!;
    if (prng.chance(person.profession.mailbox)) {
      const local = `${slug(person.given)}.${slug(person.family)}`;
      const hospital = first.structure && (first.structure.kind === 'hospital' || first.structure.kind === 'clinic');
      const domain = person.profession.mailDomain && !(hospital && prng.chance(0.4)) ? person.profession.mailDomain : `${structureDomain(first.structure)}`;
      yield mailboxLine('PER', unique(local, domain), person, first, prng);
    }
    for (const s of person.situations) {
      const st = s.structure;
      if (!st || st.kind === 'cabinet' || structuresDone.has(st.id)) continue;
      structuresDone.add(st.id);
      if (!prng.chance(st.kind === 'pharmacy' ? 0.2 : 0.35)) continue;
      const local = st.kind === 'hospital' || st.kind === 'clinic' ? `secretariat.${slug(prng.pick(HOSPITAL_SERVICES))}` : st.kind === 'pharmacy' ? 'officine' : 'accueil';
      yield mailboxLine('ORG', unique(local, structureDomain(st)), undefined, s, prng);
    }
  }
}

/** ASCII, lower case, words joined by '-': "Lefèvre" → "lefevre", "N'Diaye" → "n-diaye". */
export function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function structureDomain(st: Structure | undefined): string {
  if (!st) return 'pro.mssante.fr';
  const city = slug(st.place.city);
  switch (st.kind) {
    case 'hospital':
      return `ch-${city}.mssante.fr`;
    case 'clinic':
      return `clinique-${city}.mssante.fr`;
    case 'pharmacy':
      return `pharmacie-${slug(st.finessSite)}.mssante.fr`;
    case 'lab':
      return `labo-${slug(st.finessSite)}.mssante.fr`;
    default:
      return `${st.kind === 'centre' ? 'cds' : 'msp'}-${city}-${slug(st.id).slice(-6)}.mssante.fr`;
  }
}

function mailboxLine(kind: 'PER' | 'ORG', address: string, person: GeneratedPerson | undefined, s: Situation, prng: Prng): string {
  const st = s.structure;
  const [orgType, orgId] = !st ? ['', ''] : st.finessSite ? ['1', `1${st.finessSite}`] : st.siret ? ['3', `3${st.siret}`] : ['4', `4${st.id.slice(1)}`];
  const fields = [
    kind,
    address,
    person?.idType ?? '',
    person?.identifier ?? '',
    person?.idnat ?? '',
    orgType,
    orgId,
    st && (st.kind === 'hospital' || st.kind === 'clinic') ? prng.pick(HOSPITAL_SERVICES) : '',
    person?.practiceCivility ?? '',
    person?.family ?? '',
    person?.given ?? '',
    person ? s.category : '',
    person ? CATEGORIES[s.category] : '',
    person?.profession.code ?? '',
    person?.profession.label ?? '',
    person ? (s.skill?.code ?? '') : '',
    person ? (s.skill?.label ?? '') : '',
    prng.chance(0.6) ? 'O' : 'N',
    st?.name ?? '',
    st?.tradeName ?? '',
    st?.geo ?? '',
    st?.distribution ?? '',
    st?.number ?? '',
    st?.index ?? '',
    st?.streetTypeLabel ?? '',
    st?.street ?? '',
    '',
    st ? `${st.place.postalCode} ${slug(st.place.city).replace(/-/g, ' ').toUpperCase()}` : '',
    st?.place.postalCode ?? '',
    st?.place.department ?? '',
    st ? 'FRANCE' : '',
  ];
  return fields.join(SEPARATOR) + SEPARATOR;
}

function activityFields(p: GeneratedPerson, s: Situation): string[] {
  const st = s.structure;
  const doctor = p.practiceCivility;
  return [
    p.idType,
    p.identifier,
    p.idnat,
    doctor,
    doctor === 'DR' ? 'Docteur' : doctor === 'PR' ? 'Professeur' : '',
    p.female ? 'MME' : 'M',
    p.female ? 'Madame' : 'Monsieur',
    p.family,
    p.given,
    p.profession.code,
    p.profession.label,
    s.category,
    CATEGORIES[s.category],
    s.skill?.typeCode ?? '',
    s.skill?.typeLabel ?? '',
    s.skill?.code ?? '',
    s.skill?.label ?? '',
    s.mode,
    MODES[s.mode],
    st?.siret ?? '',
    st?.siren ?? '',
    st?.finessSite ?? '',
    st?.finessEj ?? '',
    st?.id ?? '',
    st?.name ?? '',
    st?.tradeName ?? '',
    '',
    st?.geo ?? '',
    st?.number ?? '',
    st?.index ?? '',
    st?.streetTypeCode ?? '',
    st?.streetTypeLabel ?? '',
    st?.street ?? '',
    st?.distribution ?? '',
    st?.cedex ?? '',
    st?.place.postalCode ?? '',
    st?.place.insee ?? '',
    st?.place.city ?? '',
    '',
    '',
    st?.phone ?? '',
    '',
    st?.fax ?? '',
    st?.email ?? '',
    st?.place.department ?? '',
    st ? (DEPARTMENTS[st.place.department] ?? '') : '',
    '',
    p.idType === '8' ? p.profession.authority : 'ARS/CPAM/CPAM',
    st?.sectorCode ?? '',
    st?.sectorLabel ?? '',
    s.section ?? '',
    s.section ? PHARMACIST_SECTIONS[s.section] : '',
    '',
    '',
    '',
    '',
  ];
}

function corrupt(fields: string[], kind: BadLineKind): string[] {
  const f = [...fields];
  switch (kind) {
    case 'rpps-key': {
      const last = Number(f[1]!.slice(-1));
      f[1] = f[1]!.slice(0, -1) + String((last + 1) % 10);
      f[2] = `8${f[1]}`;
      break;
    }
    case 'adeli-length':
      f[0] = '0';
      f[1] = f[1]!.slice(0, 8);
      f[2] = `0${f[1]}`;
      break;
    case 'idnat-mismatch':
      f[2] = `8${makeRpps(String(Number(f[1]!.slice(0, 10)) + 1))}`;
      break;
    case 'unknown-id-type':
      f[0] = '3';
      f[2] = `3${f[1]}`;
      break;
    case 'missing-name':
      f[7] = '';
      break;
    case 'missing-profession':
      f[9] = '';
      f[10] = '';
      break;
    case 'field-count':
      f.length = 46;
      break;
  }
  return f;
}

const LINES_PER_PERSON: ReadonlyArray<readonly [number, number]> = [[1, 80], [2, 14], [3, 4.5], [4, 1.5]];
const LINES_PER_DOCTOR: ReadonlyArray<readonly [number, number]> = [[1, 66], [2, 22], [3, 8], [4, 4]];
const GIVEN_FEMALE = FEMALE_GIVEN_NAMES.filter(([, y]) => y >= 1950 && y <= 2002).map(([n]) => n.normalize('NFC'));
const GIVEN_MALE = MALE_GIVEN_NAMES.filter(([, y]) => y >= 1950 && y <= 2002).map(([n]) => n.normalize('NFC'));
const FAMILY = FAMILY_NAMES.map((n) => n.normalize('NFC'));

/** Items with cumulative weights, for a binary-search pick. */
class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private total = 0;
  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    for (const [item, w] of entries) {
      this.total += w;
      this.items.push(item);
      this.cumulative.push(this.total);
    }
  }
  pick(prng: Prng): T {
    const r = prng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

const PROFESSION_PICK = new Weighted(PROFESSIONS.map((p) => [p, p.weight] as const));
const DOCTOR_SKILL_PICK = new Weighted(DOCTOR_SKILLS);
const DENTIST_SKILL_PICK = new Weighted(DENTIST_SKILLS);
const CITY_PICK = new Weighted(CITIES.map((c) => [c, c.weight] as const));
const STREET_TYPE_PICK = new Weighted(STREET_TYPES.map(([code, label, w]) => [[code, label] as const, w] as const));
const LINES_PICK = new Weighted(LINES_PER_PERSON);
const DOCTOR_LINES_PICK = new Weighted(LINES_PER_DOCTOR);

type Pool = 'hospital' | 'clinic' | 'group' | 'centre' | 'pharmacy' | 'lab';
/**
 * The chance that a situation in a shared structure opens a new one rather than joining one of those already
 * made: about 3 hospitals, 14 group practices and 22 pharmacies per 1,000 people. Structures are made as
 * people need them, so that a file is the beginning of any longer one of the same seed.
 */
const NEW_STRUCTURE: Readonly<Record<Pool, number>> = { hospital: 0.01, clinic: 0.025, group: 0.14, centre: 0.07, pharmacy: 0.6, lab: 0.2 };

class DirectoryGenerator {
  private readonly prng: Prng;
  private readonly badRatio: number;
  private readonly specs: readonly PersonSpec[];
  private people = 0;
  // numbers are drawn from ranges that depend on the seed, so that files of different seeds can be loaded
  // into one directory without two people (or structures) sharing a number
  private rppsCounter: number;
  private adeliCounter: number;
  private finessCounter: number;
  private sirenCounter: number;
  private readonly pools: Record<Pool, Structure[]> = { hospital: [], clinic: [], group: [], centre: [], pharmacy: [], lab: [] };
  private readonly byCity = new Map<string, Partial<Record<Pool, Structure[]>>>();

  constructor(options: DirectoryGeneratorOptions) {
    const block = (n: number) => ((options.seed % n) + n) % n;
    this.rppsCounter = 1_010_000_000 + block(4000) * 2_000_000;
    this.adeliCounter = 1 + block(97) * 100_000;
    this.finessCounter = 100_000 + block(9) * 100_000;
    this.sirenCounter = 31_000_000 + block(60) * 1_000_000;
    this.prng = new Prng(options.seed);
    this.badRatio = options.badRatio ?? 0;
    this.specs = options.people ?? [];
  }

  private addToPool(kind: Pool, st: Structure): void {
    this.pools[kind].push(st);
    const entry = this.byCity.get(st.place.city) ?? {};
    (entry[kind] ??= []).push(st);
    this.byCity.set(st.place.city, entry);
  }

  next(): { person: GeneratedPerson; bad?: BadLineKind } {
    const index = this.people++;
    if (index >= this.specs.length && this.badRatio > 0 && this.prng.chance(this.badRatio)) {
      const bad = this.prng.pick(BAD_LINE_KINDS);
      const rpps = bad === 'rpps-key' || bad === 'idnat-mismatch';
      return { person: this.person({ lines: 1 }, rpps ? false : undefined), bad };
    }
    return { person: this.person(this.specs[index]) };
  }

  private person(spec: PersonSpec | undefined, adeli?: boolean): GeneratedPerson {
    const prng = this.prng;
    const profession = (spec?.profession && PROFESSIONS.find((p) => p.code === spec.profession)) || PROFESSION_PICK.pick(prng);
    const female = spec?.female ?? prng.chance(profession.female);
    const given = spec?.given ?? prng.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
    const family = spec?.family ?? prng.pick(FAMILY);
    const useAdeli = adeli ?? prng.chance(profession.adeli);
    const lines = spec?.lines ?? (profession.code === '10' ? DOCTOR_LINES_PICK : LINES_PICK).pick(prng);
    const city = spec?.city ? CITIES.find((c) => c.name === spec.city) : undefined;
    const home = this.place(city);
    let idType: '8' | '0';
    let identifier: string;
    if (useAdeli) {
      idType = '0';
      identifier = home.department.slice(0, 2) + String(this.adeliCounter++).padStart(7, '0');
    } else {
      idType = '8';
      identifier = makeRpps(String(this.rppsCounter++));
    }
    const idnat = idType + identifier;
    let practiceCivility: GeneratedPerson['practiceCivility'] = prng.chance(profession.doctor) ? 'DR' : '';
    const situations: Situation[] = [];
    const usedStructures = new Set<string>();
    for (let k = 0; k < lines; k++) {
      let s = this.situation(profession, { idnat, given, family, doctor: practiceCivility !== '', rank: k + 1 }, city, k > 0 ? situations[0] : undefined);
      for (let attempt = 0; attempt < 5 && s.structure && usedStructures.has(s.structure.id); attempt++) {
        s = this.situation(profession, { idnat, given, family, doctor: practiceCivility !== '', rank: k + 1 }, city, situations[0]);
      }
      if (s.structure && usedStructures.has(s.structure.id)) {
        s = { ...s, mode: 'L', structure: this.cabinet(profession, { idnat, given, family, doctor: practiceCivility !== '', rank: k + 1 }, city) };
      }
      // without a structure, the situation is told apart by its mode and skill: make sure it differs
      if (!s.structure && situations.some((o) => !o.structure && o.mode === s.mode && o.skill?.code === s.skill?.code && o.category === s.category)) {
        s = { ...s, structure: this.cabinet(profession, { idnat, given, family, doctor: practiceCivility !== '', rank: k + 1 }, city), mode: 'L' };
      }
      if (s.structure) usedStructures.add(s.structure.id);
      situations.push(s);
    }
    if (practiceCivility === 'DR' && situations.some((s) => s.structure?.kind === 'hospital') && prng.chance(0.04)) practiceCivility = 'PR';
    return { idType, identifier, idnat, female, practiceCivility, family, given, profession, situations };
  }

  /** A practice situation for a profession; later ones keep the first one's skill most of the time. */
  private situation(profession: Profession, who: Who, city: City | undefined, first: Situation | undefined): Situation {
    const prng = this.prng;
    const r = prng.next();
    let structure: Structure | undefined;
    let mode: Situation['mode'] = 'L';
    let category: Situation['category'] = 'C';
    let skill: Skill | undefined;
    let section: Situation['section'];
    const pooled = (kind: Pool) => this.pooled(kind, city);
    const cabinet = () => this.cabinet(profession, who, city);
    switch (profession.code) {
      case '10':
        if (r < 0.42) structure = cabinet();
        else if (r < 0.52) structure = pooled('group');
        else if (r < 0.8) (structure = pooled('hospital')), (mode = 'S');
        else if (r < 0.9) structure = pooled('clinic');
        else if (r < 0.96) (structure = pooled('centre')), (mode = 'S');
        else if (r < 0.99) structure = undefined;
        else (structure = undefined), (category = 'E');
        skill = first && prng.chance(0.8) ? first.skill : DOCTOR_SKILL_PICK.pick(prng);
        if (structure?.kind === 'hospital' && prng.chance(0.08)) category = 'M';
        break;
      case '21':
        if (r < 0.5) {
          structure = pooled('pharmacy');
          if (prng.chance(0.45)) section = 'A';
          else (mode = 'S'), (section = 'D');
        } else if (r < 0.7) (structure = pooled('hospital')), (mode = 'S'), (section = 'H');
        else if (r < 0.85) (structure = pooled('lab')), (mode = prng.chance(0.5) ? 'L' : 'S'), (section = 'G');
        else (structure = undefined), (mode = 'S'), (section = 'D');
        break;
      case '40':
        if (r < 0.6) structure = cabinet();
        else if (r < 0.85) structure = pooled('group');
        else if (r < 0.95) (structure = pooled('centre')), (mode = 'S');
        else (structure = pooled('hospital')), (mode = 'S');
        skill = first && prng.chance(0.9) ? first.skill : DENTIST_SKILL_PICK.pick(prng);
        break;
      case '60':
        if (r < 0.5) (structure = pooled('hospital')), (mode = 'S');
        else if (r < 0.62) (structure = pooled('clinic')), (mode = 'S');
        else if (r < 0.75) structure = cabinet();
        else if (r < 0.87) structure = pooled('group');
        else if (r < 0.95) (structure = pooled('centre')), (mode = 'S');
        else (structure = undefined), (mode = 'S');
        if (structure?.kind === 'hospital' && prng.chance(0.1)) category = 'M';
        break;
      case '50':
        if (r < 0.6) (structure = pooled('hospital')), (mode = 'S');
        else if (r < 0.8) structure = cabinet();
        else if (r < 0.95) structure = pooled('group');
        else (structure = pooled('centre')), (mode = 'S');
        break;
      case '70':
        if (r < 0.65) structure = cabinet();
        else if (r < 0.85) structure = pooled('group');
        else (structure = pooled('hospital')), (mode = 'S');
        break;
      case '86':
      case '98':
        if (r < 0.7) (structure = pooled('hospital')), (mode = 'S');
        else (structure = pooled(profession.code === '86' ? 'lab' : 'clinic')), (mode = 'S');
        break;
      default:
        if (r < 0.55) structure = cabinet();
        else if (r < 0.75) structure = pooled('group');
        else (structure = pooled('hospital')), (mode = 'S');
    }
    if (mode === 'L' && prng.chance(0.01)) mode = 'B';
    return { structure, mode, category, skill, section };
  }

  /** A structure of this kind (in this city): one already made, or a new one. */
  private pooled(kind: Pool, city: City | undefined): Structure {
    const pool = city ? (this.byCity.get(city.name)?.[kind] ?? []) : this.pools[kind];
    if (pool.length > 0 && !this.prng.chance(NEW_STRUCTURE[kind])) return this.prng.pick(pool);
    const st = this.structure(kind, this.place(city));
    this.addToPool(kind, st);
    return st;
  }

  private cabinet(profession: Profession, who: Who, city: City | undefined): Structure {
    const name =
      who.doctor ? `Cabinet du Dr ${who.given} ${who.family}`
      : profession.code === '60' ? `Cabinet infirmier ${who.given} ${who.family}`
      : profession.code === '70' ? `Cabinet de kinésithérapie ${who.family}`
      : `Cabinet ${who.given} ${who.family}`;
    return this.structure('cabinet', this.place(city), { id: `R${who.idnat}${String(who.rank).padStart(2, '0')}`, name });
  }

  private structure(kind: StructureKind, place: Place, given: { id?: string; name?: string } = {}): Structure {
    const prng = this.prng;
    let finessSite = '';
    let finessEj = '';
    let siret = '';
    let siren = '';
    let name = given.name ?? '';
    let tradeName = '';
    let sector: keyof typeof SECTORS | '' = '';
    const where = prng.pick(PLACE_NAMES);
    switch (kind) {
      case 'hospital':
        finessSite = this.finess(place);
        finessEj = this.finess(place);
        name = prng.chance(0.6) ? `Centre hospitalier de ${place.city}` : prng.chance(0.5) ? `Hôpital ${prng.pick(SAINTS)}` : `Centre hospitalier universitaire de ${place.city}`;
        sector = 'SA01';
        break;
      case 'clinic':
        finessSite = this.finess(place);
        finessEj = this.finess(place);
        name = prng.chance(0.5) ? `Clinique ${prng.pick(SAINTS)}` : `Clinique ${where}`;
        sector = 'SA03';
        break;
      case 'centre':
        finessSite = this.finess(place);
        name = prng.chance(0.5) ? `Centre de santé municipal de ${place.city}` : `Centre de santé ${where}`;
        sector = 'SA05';
        break;
      case 'pharmacy':
        finessSite = this.finess(place);
        name = `Pharmacie ${where}`;
        break;
      case 'lab':
        finessSite = this.finess(place);
        finessEj = this.finess(place);
        name = `Laboratoire de biologie médicale ${where}`;
        tradeName = prng.chance(0.5) ? `Biolab ${place.city}` : '';
        break;
      case 'group': {
        siren = this.siren();
        siret = this.siret(siren);
        name = prng.chance(0.4) ? `Maison de santé pluriprofessionnelle ${where}` : prng.chance(0.5) ? `Cabinet médical ${where}` : `SCM ${where}`;
        sector = 'SA08';
        break;
      }
      case 'cabinet':
        sector = 'SA07';
        break;
    }
    const id = given.id ?? (siret ? `C${siret}` : `F${finessSite}`);
    const [streetTypeCode, streetTypeLabel] = STREET_TYPE_PICK.pick(prng);
    const large = kind === 'hospital' || kind === 'clinic';
    return {
      kind,
      id,
      siret,
      siren,
      finessSite,
      finessEj,
      name,
      tradeName,
      geo: large && prng.chance(0.3) ? `Bâtiment ${prng.pick(['A', 'B', 'C', 'Nord', 'Sud'])}` : '',
      number: prng.chance(0.85) ? String(prng.int(1, 180)) : '',
      index: prng.chance(0.03) ? 'B' : '',
      streetTypeCode,
      streetTypeLabel,
      street: prng.pick(STREET_NAMES),
      distribution: large && prng.chance(0.2) ? `BP ${prng.int(10, 999)}` : '',
      cedex: large && prng.chance(0.2) ? `${place.postalCode.slice(0, 2)}9${prng.int(10, 99)} ${place.city.toUpperCase()} CEDEX` : '',
      place,
      phone: prng.chance(0.9) ? this.phone(place) : '',
      fax: large && prng.chance(0.5) ? this.phone(place) : '',
      email: large && prng.chance(0.5) ? `contact@${kind === 'hospital' ? 'ch' : 'clinique'}-${slug(place.city)}.fr` : '',
      sectorCode: sector,
      sectorLabel: sector ? SECTORS[sector] : '',
    };
  }

  private place(city?: City): Place {
    const prng = this.prng;
    const c = city ?? CITY_PICK.pick(prng);
    let insee = c.insee;
    let postalCode: string;
    if (c.districts) {
      const k = prng.int(0, c.districts.count - 1);
      insee = String(c.districts.insee + k);
      postalCode = String(c.districts.postal + k).padStart(5, '0');
    } else {
      postalCode = prng.pick(c.postalCodes);
    }
    const department = insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2);
    return { city: c.name, insee, postalCode, department };
  }

  private finess(place: Place): string {
    const n = this.finessCounter++;
    const dept = place.department.replace(/^2[AB]$/, '20');
    return makeFiness(dept.length === 3 ? dept + String(10_000 + (n % 90_000)) : dept + String(n % 1_000_000).padStart(6, '0'));
  }

  private siren(): string {
    const first8 = String(this.sirenCounter++);
    return first8 + luhnCheckDigit(first8);
  }

  private siret(siren: string): string {
    const first13 = siren + String(this.prng.int(1, 9999)).padStart(4, '0');
    return first13 + luhnCheckDigit(first13);
  }

  private phone(place: Place): string {
    const prefix = phonePrefix(place.department);
    let digits = prefix;
    while (digits.length < 10) digits += String(this.prng.int(0, 9));
    return digits;
  }
}

interface Who {
  idnat: string;
  given: string;
  family: string;
  doctor: boolean;
  rank: number;
}
