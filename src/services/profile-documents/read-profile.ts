import { PROFILE_CATEGORY_SYSTEM } from '../../domain/access/profile.js';
import { isSupportedType } from '../../fhir/resource-types.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations } from '../../repo/index.js';
import { SUMMARY_SECTIONS, type SummarySection } from './types.js';
import { formatNumberFr, formatPartialDateFr, formatQuantityFr, NBSP, onDateFr } from './french.js';

/**
 * Reads the sections of the medical profile from the FHIR resources of the record (docs/profile.md), through
 * the caller's unit of work (so the access policy decides and the reads are audited), and turns each entry
 * into one line of French text for the summary PDF. The parsing is lenient: the web app's API, a professional
 * and connected apps write the same resources, each with what it knows (code.text or a coding's display,
 * partial dates, notes, the profile's enum codes wherever they sit in the resource).
 */

type Json = Record<string, unknown>;

export interface SummarySectionContent {
  section: SummarySection;
  title: string;
  items: string[];
  /** "Non concerné": the date of the declaration (ISO), when declared and the section holds nothing. */
  unconcernedSince?: string;
}

export const SUMMARY_SECTION_TITLES: Record<SummarySection, string> = {
  VACCINES: 'Vaccinations',
  ALLERGIES: 'Allergies',
  DISEASES: 'Maladies et sujets de santé',
  TREATMENTS: 'Traitements',
  MEASURES: 'Dernières mesures',
  HOSPITALIZATIONS: 'Hospitalisations',
  FAMILY_HISTORY: 'Antécédents familiaux',
  LIFESTYLES: 'Habitudes de vie',
  ENTOURAGE_CONTACT: 'Entourage',
  WISHES: 'Volontés',
  DISABILITIES: 'Handicaps',
  BLOOD_GROUP: 'Groupe sanguin',
};

/** The profile section codes (docs/profile.md) of the summary sections that may be declared "non concerné". */
const UNCONCERNED_CODE: Partial<Record<SummarySection, string>> = {
  DISEASES: 'diseases',
  TREATMENTS: 'treatments',
  ALLERGIES: 'allergies',
  HOSPITALIZATIONS: 'hospitalisations',
  FAMILY_HISTORY: 'family-history',
  DISABILITIES: 'disabilities',
};

// --- generic readers ---------------------------------------------------------------------------------------

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]).filter((x) => typeof x === 'object' && x !== null) : typeof v === 'object' && v !== null ? [v as Json] : []);

/** The text of a CodeableConcept: its text, else a coding's display, else a code. */
export function conceptText(c: unknown): string | undefined {
  const cc = (typeof c === 'object' && c !== null ? c : {}) as Json;
  const codings = arr(cc.coding);
  return str(cc.text) ?? codings.map((x) => str(x.display)).find(Boolean) ?? codings.map((x) => str(x.code)).find(Boolean);
}

/** Every code found anywhere in the resource (codings, valueCode, code strings): where the profile's enums sit. */
function allCodes(r: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(r)) for (const x of r) allCodes(x, out);
  else if (typeof r === 'object' && r !== null) {
    for (const [k, v] of Object.entries(r as Json)) {
      if ((k === 'code' || k === 'valueCode') && typeof v === 'string') out.add(v);
      else allCodes(v, out);
    }
  }
  return out;
}

function firstOf<T extends string>(r: Json, values: readonly T[]): T | undefined {
  const codes = allCodes(r);
  return values.find((v) => codes.has(v));
}

function allOf<T extends string>(r: Json, values: readonly T[]): T[] {
  const codes = allCodes(r);
  return values.filter((v) => codes.has(v));
}

/** The extensions (deep) whose URL ends with one of the names, e.g. "comment", "technical-help". */
function extensionValue(r: unknown, names: readonly string[]): unknown {
  if (Array.isArray(r)) {
    for (const x of r) {
      const v = extensionValue(x, names);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  if (typeof r !== 'object' || r === null) return undefined;
  const o = r as Json;
  for (const e of arr(o.extension)) {
    const url = str(e.url)?.toLowerCase() ?? '';
    if (names.some((n) => url.endsWith(n.toLowerCase()) || url.endsWith(`/${n.toLowerCase()}`))) {
      const key = Object.keys(e).find((k) => k.startsWith('value'));
      if (key) return e[key];
    }
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'extension') continue;
    const found = typeof v === 'object' ? extensionValue(v, names) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

function commentOf(r: Json): string | undefined {
  const notes = arr(r.note).map((n) => str(n.text)).filter((x): x is string => !!x);
  if (notes.length) return notes.join(' ');
  const ext = extensionValue(r, ['comment']);
  return str(ext) ?? str(r.comment);
}

/** The profile sections a resource is marked with (category codings or meta.tag of the profile's system). */
export function profileSectionsOf(r: Json): string[] {
  const codings = [...arr(r.category).flatMap((c) => (c.coding ? arr(c.coding) : [c])), ...arr((r.meta as Json | undefined)?.tag)];
  return codings.filter((c) => c.system === PROFILE_CATEGORY_SYSTEM && typeof c.code === 'string').map((c) => c.code as string);
}

const marked = (r: Json, section: string) => profileSectionsOf(r).includes(section);

function withdrawn(r: Json): boolean {
  const status = r.status;
  if (status === 'entered-in-error' || status === 'not-done' || status === 'cancelled' || status === 'inactive' || status === 'rejected') return true;
  const verification = conceptText(r.verificationStatus);
  return verification === 'entered-in-error' || verification === 'refuted';
}

async function searchAll(ops: FhirOperations, fhirBase: string, type: string, patientId: string, extra: Record<string, string> = {}): Promise<Json[]> {
  const params = new URLSearchParams({ patient: patientId, _count: '500', ...extra });
  const found = await ops.search(type, parseSearch(type, params, { defaultCount: 500, maxCount: 500, strict: true, fhirBase }));
  return found.versions.map((v) => JSON.parse(v.content!) as Json).filter((r) => r.resourceType === type && !withdrawn(r));
}

const joinParts = (parts: (string | undefined | false)[]) => parts.filter((p): p is string => !!p).join(' — ');
const byDateDesc = <T>(items: T[], date: (t: T) => string | undefined) => [...items].sort((a, b) => (date(b) ?? '').localeCompare(date(a) ?? ''));

// --- sections ----------------------------------------------------------------------------------------------

const ADMINISTRATION: Record<string, string> = { INITIMMUNIZ: 'primovaccination', BOOSTER: 'rappel', IMMUNIZ: 'vaccination' };

function vaccination(r: Json): string {
  const date = str(r.occurrenceDateTime) ?? str(r.occurrenceString);
  const admin = firstOf(r, Object.keys(ADMINISTRATION));
  const performer = arr(r.performer).map((p) => str((p.actor as Json | undefined)?.display)).find(Boolean) ?? str(extensionValue(r, ['performer']));
  // R4 has no Immunization.recorder: the sections write R5's informationSource as an extension
  const recorder = (r.recorder ?? extensionValue(r, ['Immunization.informationSource'])) as Json | undefined;
  const byPro = typeof recorder?.reference === 'string' && /^(Practitioner|PractitionerRole)\//.test(recorder.reference);
  return joinParts([
    conceptText(r.vaccineCode) ?? 'Vaccin',
    date ? (formatPartialDateFr(date) ?? date) : undefined,
    admin ? ADMINISTRATION[admin] : undefined,
    str(r.lotNumber) ? `lot ${str(r.lotNumber)}` : undefined,
    performer ? `par ${performer}` : undefined,
    byPro ? `saisie par un professionnel${str(recorder?.display) ? ` (${str(recorder?.display)})` : ''}` : undefined,
    commentOf(r),
  ]);
}

/** "depuis le 14 mars 2024", "depuis mars 2018", "du 3 mai 2020 au 9 juin 2020", "de 2018 à 2020", "jusqu’en 2019". */
function period(start: string | undefined, end: string | undefined): string | undefined {
  const s = formatPartialDateFr(start);
  const e = formatPartialDateFr(end);
  const full = (d: string) => /^\d/.test(d) && !/^\d{4}$/.test(d);
  if (s && e) return `${full(s) ? 'du' : 'de'} ${s} ${full(e) ? 'au' : 'à'} ${e}`;
  if (s) return `depuis ${full(s) ? 'le ' : ''}${s}`;
  if (e) return full(e) ? `jusqu’au ${e}` : `jusqu’en ${e}`;
  return undefined;
}

function disease(r: Json): string {
  return joinParts([
    conceptText(r.code) ?? 'Maladie',
    period(str(r.onsetDateTime) ?? str((r.onsetPeriod as Json | undefined)?.start) ?? str(r.onsetString), str(r.abatementDateTime) ?? str((r.onsetPeriod as Json | undefined)?.end)),
    commentOf(r),
  ]);
}

function treatment(r: Json): string {
  const p = r.effectivePeriod as Json | undefined;
  const dosage = arr(r.dosage).map((d) => str(d.text)).find(Boolean);
  const ended = !str(p?.end) && (r.status === 'stopped' || r.status === 'completed');
  return joinParts([
    conceptText(r.medicationCodeableConcept) ?? str((r.medicationReference as Json | undefined)?.display) ?? 'Traitement',
    dosage,
    ended ? (onDateFr(str(p?.start) ?? str(r.effectiveDateTime)) ?? '').replace(/^(le|en) /, 'commencé $1 ') || undefined : period(str(p?.start) ?? str(r.effectiveDateTime), str(p?.end)),
    ended ? 'arrêté' : undefined,
    commentOf(r),
  ]);
}

function allergy(r: Json): string {
  return joinParts([conceptText(r.code) ?? 'Allergie', commentOf(r)]);
}

const DURATION_UNITS: Record<string, [string, string]> = {
  d: ['jour', 'jours'],
  DAY: ['jour', 'jours'],
  wk: ['semaine', 'semaines'],
  WEEK: ['semaine', 'semaines'],
  mo: ['mois', 'mois'],
  MONTH: ['mois', 'mois'],
  a: ['an', 'ans'],
  YEAR: ['an', 'ans'],
};

function hospitalisationStart(r: Json): string | undefined {
  return str((r.period as Json | undefined)?.start) ?? str((r.performedPeriod as Json | undefined)?.start) ?? str(r.performedDateTime);
}

function hospitalisation(r: Json): string {
  const length = (r.length ?? extensionValue(r, ['duration', 'length'])) as Json | undefined;
  const value = typeof length?.value === 'number' ? length.value : undefined;
  const unit = str(length?.code) ?? str(length?.unit);
  const words = unit ? DURATION_UNITS[unit] : undefined;
  const duration = value !== undefined ? `${formatNumberFr(value)}${NBSP}${words ? (value >= 2 ? words[1] : words[0]) : (unit ?? '')}`.trim() : undefined;
  const name =
    (r.resourceType === 'Procedure' ? conceptText(r.code) : undefined) ??
    arr(r.reasonCode).map(conceptText).find(Boolean) ??
    arr(r.type).map(conceptText).find(Boolean) ??
    conceptText(r.serviceType) ??
    str(extensionValue(r, ['name'])) ??
    'Hospitalisation';
  const start = hospitalisationStart(r);
  return joinParts([name, start ? onDateFr(start) : undefined, duration ? `durée ${duration}` : undefined, commentOf(r)]);
}

const RELATIONSHIPS: Record<string, string> = {
  MOTHER: 'mère',
  MTH: 'mère',
  NMTH: 'mère',
  FATHER: 'père',
  FTH: 'père',
  NFTH: 'père',
  GRANDMOTHER: 'grand-mère',
  GRMTH: 'grand-mère',
  MGRMTH: 'grand-mère maternelle',
  PGRMTH: 'grand-mère paternelle',
  GRANDFATHER: 'grand-père',
  GRFTH: 'grand-père',
  MGRFTH: 'grand-père maternel',
  PGRFTH: 'grand-père paternel',
  SISTER: 'sœur',
  SIS: 'sœur',
  NSIS: 'sœur',
  BROTHER: 'frère',
  BRO: 'frère',
  NBRO: 'frère',
  GREAT_GRANDMOTHER: 'arrière-grand-mère',
  GGRMTH: 'arrière-grand-mère',
  GREAT_GRANDFATHER: 'arrière-grand-père',
  GGRFTH: 'arrière-grand-père',
  AUNT: 'tante',
  MAUNT: 'tante maternelle',
  PAUNT: 'tante paternelle',
  UNCLE: 'oncle',
  MUNCLE: 'oncle maternel',
  PUNCLE: 'oncle paternel',
  OTHER: 'autre membre de la famille',
  FAMMEMB: 'autre membre de la famille',
};

function familyHistory(r: Json): string {
  const rel = firstOf(r, Object.keys(RELATIONSHIPS));
  const conditions = arr(r.condition).map((c) => conceptText(c.code)).filter((x): x is string => !!x);
  const name = conditions.join(', ') || str(r.name) || 'Antécédent';
  return joinParts([name, rel ? RELATIONSHIPS[rel] : conceptText(r.relationship), commentOf(r)]);
}

const DISABILITY_TYPES: Record<string, string> = {
  SENSORY: 'sensoriel',
  NEURO_DEVELOPMENTAL_DISORDER: 'trouble du neurodéveloppement',
  PSYCHIC: 'psychique',
  ENGINE: 'moteur',
  POLY_DISABILITY: 'polyhandicap',
  DISABLING_DISEASES: 'maladie invalidante',
  OTHERS: 'autre',
};
const DISABILITY_RATES: Record<string, string> = {
  LESS_THAN_50: 'taux d’incapacité inférieur à 50 %',
  BETWEEN_50_AND_79: 'taux d’incapacité de 50 à 79 %',
  BIGGER_THAN_80_OR_EQUAL: 'taux d’incapacité de 80 % ou plus',
  UNKNOWN: 'taux d’incapacité inconnu',
};
const HUMAN_HELP: Record<string, string> = { YES: 'avec aide humaine', NO: 'sans aide humaine', NONE: 'aide humaine non précisée' };

function disability(r: Json): string {
  const types = allOf(r, Object.keys(DISABILITY_TYPES)).map((t) => DISABILITY_TYPES[t]);
  const rate = firstOf(r, Object.keys(DISABILITY_RATES));
  const help = firstOf(r, Object.keys(HUMAN_HELP));
  const technical = str(extensionValue(r, ['technical-help', 'technicalHelp']));
  return joinParts([
    r.resourceType === 'Observation' ? (conceptText(r.valueCodeableConcept) ?? str(r.valueString) ?? conceptText(r.code) ?? 'Handicap') : (conceptText(r.code) ?? 'Handicap'),
    types.length ? `handicap ${types.join(', ')}` : undefined,
    rate ? DISABILITY_RATES[rate] : undefined,
    technical ? `aide technique : ${technical}` : undefined,
    help ? HUMAN_HELP[help] : undefined,
    commentOf(r),
  ]);
}

const HABIT_TOPICS: Record<string, string> = {
  FOOD: 'Alimentation',
  PHYSICAL_ACTIVITY: 'Activité physique',
  SLEEP: 'Sommeil',
  SCREEN: 'Écrans',
  ALCOHOL: 'Alcool',
  TOBACCO: 'Tabac',
};

function habit(r: Json): string {
  const topic = firstOf(r, Object.keys(HABIT_TOPICS));
  const answer = str(r.valueString) ?? conceptText(r.valueCodeableConcept) ?? (typeof r.valueBoolean === 'boolean' ? (r.valueBoolean ? 'oui' : 'non') : undefined);
  const label = topic ? HABIT_TOPICS[topic] : (conceptText(r.code) ?? 'Habitude');
  const date = str(r.effectiveDateTime);
  return `${label}${NBSP}: ${answer ?? 'non renseigné'}${date ? ` (${formatPartialDateFr(date) ?? date})` : ''}`;
}

const CONTACT_KINDS: Record<string, string> = {
  TRUSTED_CONTACT: 'personne de confiance',
  EMERGENCY_CONTACT: 'contact en cas d’urgence',
  CAREGIVER_CONTACT: 'aidant',
  HELP_CONTACT: 'aide à domicile',
};
const CONTACT_RELATIONS: Record<string, string> = {
  MOTHER: 'mère',
  MTH: 'mère',
  FATHER: 'père',
  FTH: 'père',
  CHILD: 'enfant',
  CHILD_: 'enfant',
  SPOUSE: 'conjoint ou conjointe',
  SPS: 'conjoint ou conjointe',
  TUTEUR: 'tuteur ou tutrice',
  GUARD: 'tuteur ou tutrice',
  OTHER: 'autre',
};

function personName(r: Json): string {
  const name = arr(r.name)[0] ?? {};
  const given = Array.isArray(name.given) ? (name.given as string[]).join(' ') : '';
  const family = str(name.family) ?? '';
  return str(name.text) ?? (`${given} ${family.toLocaleUpperCase('fr-FR')}`.trim() || 'Contact');
}

function contact(r: Json): string {
  const kinds = allOf(r, Object.keys(CONTACT_KINDS)).map((k) => CONTACT_KINDS[k]);
  const relation = firstOf(r, ['MOTHER', 'FATHER', 'CHILD', 'SPOUSE', 'TUTEUR', 'OTHER', 'MTH', 'FTH', 'SPS', 'GUARD']);
  const telecom = arr(r.telecom);
  const phone = telecom.filter((t) => t.system === 'phone').map((t) => str(t.value)).find(Boolean);
  const email = telecom.filter((t) => t.system === 'email').map((t) => str(t.value)).find(Boolean);
  const address = arr(r.address).map((a) => str(a.text) ?? [...(Array.isArray(a.line) ? (a.line as string[]) : []), str(a.postalCode), str(a.city)].filter(Boolean).join(' ')).find(Boolean);
  return joinParts([personName(r), kinds.join(', ') || undefined, relation ? CONTACT_RELATIONS[relation] : undefined, phone ? `tél. ${phone.replace(/ /g, NBSP)}` : undefined, email, address]);
}

const ORGAN_POSITIONS: Record<string, string> = {
  DONOR: 'favorable au don d’organes et de tissus',
  REFUSES: 'opposé(e) au don d’organes et de tissus',
  UNDECIDED: 'ne s’est pas encore prononcé(e) sur le don d’organes',
};

function organDonation(r: Json): string {
  let position = firstOf(r, Object.keys(ORGAN_POSITIONS));
  const provisionType = (r.provision as Json | undefined)?.type;
  if (!position && provisionType === 'permit') position = 'DONOR';
  if (!position && provisionType === 'deny') position = 'REFUSES';
  const informed = extensionValue(r, ['informed-relatives', 'informedRelatives', 'informedAboutOrganDonation', 'informed']);
  return joinParts([
    `Don d’organes${NBSP}: ${position ? ORGAN_POSITIONS[position] : 'position enregistrée'}`,
    informed === true ? 'proches informés de cette position' : informed === false ? 'proches non encore informés' : undefined,
    commentOf(r),
  ]);
}

function directive(r: Json): string {
  const date = str(r.dateTime);
  return `Directives anticipées${NBSP}: rédigées${date ? ` ${onDateFr(date)}` : ''}, enregistrées dans les documents`;
}

// --- measures ----------------------------------------------------------------------------------------------

/** The measures of the mes-mesures profiles, by LOINC code, in the order they are shown. */
const MEASURES: { loinc: string[]; label: string; decimals: number }[] = [
  { loinc: ['29463-7', '3141-9'], label: 'Poids', decimals: 1 },
  { loinc: ['8302-2', '8306-3'], label: 'Taille', decimals: 1 },
  { loinc: ['39156-5'], label: 'Indice de masse corporelle (IMC)', decimals: 1 },
  { loinc: ['8280-0'], label: 'Tour de taille', decimals: 1 },
  { loinc: ['8287-5', '9843-4'], label: 'Périmètre crânien', decimals: 1 },
  { loinc: ['85354-9', '55284-4'], label: 'Tension artérielle', decimals: 0 },
  { loinc: ['8867-4'], label: 'Fréquence cardiaque', decimals: 0 },
  { loinc: ['8310-5', '8331-1'], label: 'Température', decimals: 1 },
  { loinc: ['2339-0', '15074-8', '2345-7', '41653-7', '14749-6', '1558-6'], label: 'Glycémie', decimals: 2 },
  { loinc: ['99504-3', '105272-9'], label: 'Glucose interstitiel', decimals: 2 },
  { loinc: ['4548-4', '17856-6'], label: 'Hémoglobine glyquée (HbA1c)', decimals: 1 },
  { loinc: ['72514-3'], label: 'Douleur', decimals: 0 },
  { loinc: ['41950-7'], label: 'Nombre de pas par jour', decimals: 0 },
];
const BLOOD_GROUP_LOINC = '882-1';
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

const loincCodes = (r: Json): string[] => arr((r.code as Json | undefined)?.coding).map((c) => str(c.code)).filter((x): x is string => !!x);
const effectiveOf = (r: Json): string | undefined => str(r.effectiveDateTime) ?? str(r.effectiveInstant) ?? str((r.effectivePeriod as Json | undefined)?.start) ?? str(r.issued);

function quantity(q: unknown, decimals: number): string | undefined {
  const o = q as Json | undefined;
  if (typeof o?.value !== 'number') return undefined;
  return formatQuantityFr(o.value, str(o.code) ?? str(o.unit), decimals);
}

function measureLine(r: Json, label: string, decimals: number): string {
  const components = arr(r.component);
  const part = (code: string) => components.find((c) => loincCodes(c).includes(code))?.valueQuantity as Json | undefined;
  const sys = part(SYSTOLIC);
  const dia = part(DIASTOLIC);
  let value: string | undefined;
  if (typeof sys?.value === 'number' && typeof dia?.value === 'number') {
    value = formatQuantityFr(`${formatNumberFr(sys.value, 0)}/${formatNumberFr(dia.value, 0)}`, str(sys.code) ?? str(sys.unit) ?? 'mm[Hg]');
  } else {
    value = quantity(r.valueQuantity, decimals) ?? str(r.valueString) ?? conceptText(r.valueCodeableConcept) ?? (typeof r.valueInteger === 'number' ? formatNumberFr(r.valueInteger, 0) : undefined);
  }
  const date = effectiveOf(r);
  return `${label}${NBSP}: ${value ?? 'valeur non lisible'}${date ? ` (${onDateFr(date)})` : ''}`;
}

function lastMeasures(observations: Json[]): string[] {
  const lines: string[] = [];
  const latest = (rs: Json[]) => byDateDesc(rs, effectiveOf)[0];
  const known = new Set(MEASURES.flatMap((m) => m.loinc));
  for (const m of MEASURES) {
    const last = latest(observations.filter((r) => loincCodes(r).some((c) => m.loinc.includes(c))));
    if (last) lines.push(measureLine(last, m.label, m.decimals));
  }
  // measures of other codes (a connected app's): by their own label
  const others = new Map<string, Json[]>();
  for (const r of observations) {
    if (loincCodes(r).some((c) => known.has(c))) continue;
    const key = conceptText(r.code) ?? 'Mesure';
    others.set(key, [...(others.get(key) ?? []), r]);
  }
  for (const [label, rs] of [...others].sort(([a], [b]) => a.localeCompare(b, 'fr'))) lines.push(measureLine(latest(rs)!, label, 2));
  return lines;
}

const BLOOD_GROUPS: Record<string, string> = {
  APOS: 'A positif (A+)',
  ANEG: 'A négatif (A-)',
  BPOS: 'B positif (B+)',
  BNEG: 'B négatif (B-)',
  ABPOS: 'AB positif (AB+)',
  ABNEG: 'AB négatif (AB-)',
  OPOS: 'O positif (O+)',
  ONEG: 'O négatif (O-)',
};

function bloodGroup(r: Json): string {
  const code = firstOf(r, Object.keys(BLOOD_GROUPS));
  return code ? BLOOD_GROUPS[code]! : (conceptText(r.valueCodeableConcept) ?? str(r.valueString) ?? 'enregistré');
}

// --- the whole -----------------------------------------------------------------------------------------------

const isBloodGroup = (r: Json) => marked(r, 'blood-group') || loincCodes(r).includes(BLOOD_GROUP_LOINC);
const isHabit = (r: Json) =>
  marked(r, 'habits') || arr(r.category).some((c) => arr(c.coding).some((x) => x.code === 'social-history'));
const isDisabilityObservation = (r: Json) => marked(r, 'disabilities');

/** The sections asked for, in the order of SUMMARY_SECTIONS, each once. */
export function orderedSections(sections: readonly SummarySection[]): SummarySection[] {
  return SUMMARY_SECTIONS.filter((s) => sections.includes(s));
}

/**
 * The content of the summary's sections for one record, read with `ops` (the caller's unit of work). Each
 * FHIR type is searched once, whatever the number of sections that share it.
 */
export async function readSummarySections(ops: FhirOperations, fhirBase: string, patientId: string, sections: readonly SummarySection[]): Promise<SummarySectionContent[]> {
  const wanted = orderedSections(sections);
  const cache = new Map<string, Promise<Json[]>>();
  const all = (type: string) => {
    let p = cache.get(type);
    if (!p) {
      p = searchAll(ops, fhirBase, type, patientId);
      cache.set(type, p);
    }
    return p;
  };
  const unconcernedLists = async (): Promise<Map<string, string>> => {
    const lists = await all('List');
    const out = new Map<string, string>();
    for (const l of lists) {
      const code = arr((l.code as Json | undefined)?.coding).find((c) => c.system === PROFILE_CATEGORY_SYSTEM && typeof c.code === 'string');
      const empty = l.status !== 'retired' && (l.emptyReason !== undefined || arr(l.entry).length === 0);
      const date = str(l.date) ?? str((l.meta as Json | undefined)?.lastUpdated);
      if (code && empty && date) {
        const prev = out.get(code.code as string);
        if (!prev || prev < date) out.set(code.code as string, date);
      }
    }
    return out;
  };

  const out: SummarySectionContent[] = [];
  for (const section of wanted) {
    let items: string[] = [];
    switch (section) {
      case 'VACCINES':
        items = byDateDesc(await all('Immunization'), (r) => str(r.occurrenceDateTime)).map(vaccination);
        break;
      case 'ALLERGIES':
        items = (await all('AllergyIntolerance')).map(allergy);
        break;
      case 'DISEASES':
        items = byDateDesc((await all('Condition')).filter((r) => !marked(r, 'disabilities') && !marked(r, 'disability')), (r) => str(r.onsetDateTime)).map(disease);
        break;
      case 'TREATMENTS':
        items = byDateDesc(await all('MedicationStatement'), (r) => str((r.effectivePeriod as Json | undefined)?.start) ?? str(r.effectiveDateTime)).map(treatment);
        break;
      case 'MEASURES':
        items = lastMeasures((await all('Observation')).filter((r) => !isBloodGroup(r) && !isHabit(r) && !isDisabilityObservation(r) && (MEASURES.some((m) => loincCodes(r).some((c) => m.loinc.includes(c))) || marked(r, 'measures') || arr(r.category).some((c) => arr(c.coding).some((x) => x.code === 'vital-signs')))));
        break;
      case 'HOSPITALIZATIONS':
        // an Encounter (class IMP), or a Procedure of the section with its duration (issue 8 allows both)
        items = byDateDesc(
          [
            ...(isSupportedType('Encounter') ? (await all('Encounter')).filter((r) => marked(r, 'hospitalisations') || (r.class as Json | undefined)?.code === 'IMP') : []),
            ...(await all('Procedure')).filter((r) => marked(r, 'hospitalisations')),
          ],
          hospitalisationStart,
        ).map(hospitalisation);
        break;
      case 'FAMILY_HISTORY':
        items = (await all('FamilyMemberHistory')).map(familyHistory);
        break;
      case 'LIFESTYLES':
        items = byDateDesc((await all('Observation')).filter(isHabit), effectiveOf).map(habit);
        break;
      case 'ENTOURAGE_CONTACT':
        // the profile's contacts; not the RelatedPerson that links a child to their parent's account
        items = (await all('RelatedPerson')).filter((r) => marked(r, 'contacts') || firstOf(r, Object.keys(CONTACT_KINDS))).map(contact);
        break;
      case 'WISHES': {
        const consents = await all('Consent');
        items = [
          ...consents.filter((r) => marked(r, 'organ-donation')).map(organDonation),
          ...byDateDesc(consents.filter((r) => marked(r, 'advance-directive') && r.status === 'active'), (r) => str(r.dateTime)).slice(0, 1).map(directive),
        ];
        break;
      }
      case 'DISABILITIES':
        items = [...(await all('Condition')).filter((r) => marked(r, 'disabilities') || marked(r, 'disability')), ...(await all('Observation')).filter(isDisabilityObservation)].map(disability);
        break;
      case 'BLOOD_GROUP':
        items = byDateDesc((await all('Observation')).filter(isBloodGroup), effectiveOf).slice(0, 1).map(bloodGroup);
        break;
    }
    const code = UNCONCERNED_CODE[section];
    const since = code && items.length === 0 ? (await unconcernedLists()).get(code) : undefined;
    out.push({ section, title: SUMMARY_SECTION_TITLES[section], items, ...(since ? { unconcernedSince: since } : {}) });
  }
  return out;
}
