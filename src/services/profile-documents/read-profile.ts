import { MEASURE_CODES, type Measure, type SectionViews, type SummarySection } from '../../contract/profile.js';
import { MEASURES } from '../../domain/measures/catalogue.js';
import {
  ADMINISTRATION_LABELS,
  BLOOD_GROUP_NAMES,
  CONTACT_KIND_LABELS,
  CONTACT_RELATION_LABELS,
  DISABILITY_RATE_LABELS,
  DISABILITY_TYPE_LABELS,
  DURATION_UNIT_LABELS,
  FAMILY_RELATIONSHIP_LABELS,
  HABIT_TOPIC_LABELS,
  HUMAN_HELP_LABELS,
  ORGAN_DONATION_LABELS,
  SUMMARY_SECTION_TITLES,
} from '../../domain/profile/labels.js';
import { bloodGroupFromFhir } from '../../domain/profile/sections/blood-group.js';
import { formatPartialDate, type Json, type ListSection, type UnconcernedSection } from '../../domain/profile/sections/index.js';
import { organDonationFromFhir } from '../../domain/profile/sections/organ-donation.js';
import { AppError } from '../../errors.js';
import type { FhirOperations } from '../../repo/index.js';
import { documentView } from '../dmp/views.js';
import { lastMeasure } from '../measures/measures.js';
import { sectionEntries } from '../profile/sections.js';
import { currentBloodGroup, currentOrganDonation } from '../profile/singles.js';
import { findDeclarations } from '../profile/unconcerned.js';
import { currentDirective } from './directives.js';
import { formatNumberFr, formatPartialDateFr, formatQuantityFr, NBSP, onDateFr } from './french.js';
import { SUMMARY_SECTIONS } from './types.js';

/**
 * The sections of the medical profile as lines of French text for the summary PDF. Nothing is read here that
 * the application API does not read the same way: a list section's entries are the sections service's
 * (src/services/profile/sections.ts: the same search, SECTIONS[s].fromFhir, the derived links), the blood group
 * and the organ-donation wish the singles' (their fromFhir), the measures the dashboard's (the measure
 * catalogue), the advance directive the directives service's. All through the caller's unit of work (the
 * access policy decides, the reads are audited). The enums' words come from src/domain/profile/labels.ts.
 */

export { SUMMARY_SECTION_TITLES };

export interface SummarySectionContent {
  section: SummarySection;
  title: string;
  items: string[];
  /** "Non concerné": the date of the declaration (ISO), when declared and the section holds nothing. */
  unconcernedSince?: string;
}

/** The list section each summary section shows, when it is one. */
const LIST_SECTION_OF: Partial<Record<SummarySection, ListSection>> = {
  VACCINES: 'vaccinations',
  ALLERGIES: 'allergies',
  DISEASES: 'diseases',
  TREATMENTS: 'treatments',
  HOSPITALIZATIONS: 'hospitalisations',
  FAMILY_HISTORY: 'family-history',
  LIFESTYLES: 'habits',
  ENTOURAGE_CONTACT: 'contacts',
  DISABILITIES: 'disabilities',
};

/** The summary sections that may be declared "non concerné", with their section of the profile. */
const UNCONCERNED_OF: Partial<Record<SummarySection, UnconcernedSection>> = {
  DISEASES: 'diseases',
  TREATMENTS: 'treatments',
  ALLERGIES: 'allergies',
  HOSPITALIZATIONS: 'hospitalisations',
  FAMILY_HISTORY: 'family-history',
  DISABILITIES: 'disabilities',
};

/** The sections asked for, in the order of SUMMARY_SECTIONS, each once. */
export function orderedSections(sections: readonly SummarySection[]): SummarySection[] {
  return SUMMARY_SECTIONS.filter((s) => sections.includes(s));
}

// --- wording -------------------------------------------------------------------------------------------------

const joinParts = (parts: (string | undefined | false)[]) => parts.filter((p): p is string => !!p).join(' — ');
const listOf = (label: string, names: string[]) => (names.length ? `${label}${NBSP}: ${names.join(', ')}` : undefined);

type Partial3 = { year: number; month?: number; day?: number };

/** "depuis le 14 mars 2024", "depuis mars 2018", "du 3 mai 2020 au 9 juin 2020", "de 2018 à 2020", "jusqu’en 2019". */
export function period(start: Partial3 | undefined, end: Partial3 | undefined): string | undefined {
  const s = formatPartialDateFr(start);
  const e = formatPartialDateFr(end);
  const full = (d: string) => /^\d/.test(d) && !/^\d{4}$/.test(d);
  if (s && e) return `${full(s) ? 'du' : 'de'} ${s} ${full(e) ? 'au' : 'à'} ${e}`;
  if (s) return `depuis ${full(s) ? 'le ' : ''}${s}`;
  if (e) return full(e) ? `jusqu’au ${e}` : `jusqu’en ${e}`;
  return undefined;
}

/** The names of the entries a line links to, as the record holds them now. */
interface Names {
  diseases: Map<string, string>;
  allergies: Map<string, string>;
  treatments: Map<string, string>;
  documents: (ids: string[] | undefined) => Promise<string[]>;
}
const namesOf = (ids: string[] | undefined, names: Map<string, string>) => (ids ?? []).map((id) => names.get(id)).filter((n): n is string => !!n);

function vaccinationLine(v: SectionViews['vaccinations']): string {
  return joinParts([
    v.label || 'Vaccin',
    formatPartialDateFr(v.date) ?? v.date,
    v.administration !== 'IMMUNIZ' ? ADMINISTRATION_LABELS[v.administration] : undefined,
    listOf('contre', v.diseases),
    v.lotNumber ? `lot ${v.lotNumber}` : undefined,
    v.performer ? `par ${v.performer}` : undefined,
    v.source.kind === 'professional' ? `saisie par un professionnel${v.source.name ? ` (${v.source.name})` : ''}` : undefined,
    v.comment,
  ]);
}

async function diseaseLine(d: SectionViews['diseases'], names: Names): Promise<string> {
  return joinParts([d.name, period(d.start, d.end), d.comment, listOf('documents', await names.documents(d.documentIds))]);
}

function treatmentLine(t: SectionViews['treatments'], names: Names): string {
  return joinParts([
    t.name,
    t.dosage,
    period(t.start, t.end),
    listOf('pour', namesOf(t.diseaseIds, names.diseases)),
    listOf('allergies liées', namesOf(t.allergyIds, names.allergies)),
    t.comment,
  ]);
}

function allergyLine(a: SectionViews['allergies'], names: Names): string {
  return joinParts([a.name, a.comment, listOf('traitements liés', namesOf(a.treatmentIds, names.treatments))]);
}

async function hospitalisationLine(h: SectionViews['hospitalisations'], names: Names): Promise<string> {
  const d = h.duration;
  const duration = d ? `durée ${formatNumberFr(d.value)}${NBSP}${DURATION_UNIT_LABELS[d.unit][d.value >= 2 ? 1 : 0]}` : undefined;
  return joinParts([h.name, onDateFr(formatPartialDate(h.start)), duration, h.comment, listOf('documents', await names.documents(h.documentIds))]);
}

function familyHistoryLine(f: SectionViews['family-history']): string {
  return joinParts([f.name, FAMILY_RELATIONSHIP_LABELS[f.relationship], f.comment]);
}

function disabilityLine(d: SectionViews['disabilities']): string {
  return joinParts([
    d.name,
    d.types.length ? `handicap ${d.types.map((t) => DISABILITY_TYPE_LABELS[t]).join(', ')}` : undefined,
    DISABILITY_RATE_LABELS[d.rate],
    d.technicalHelp ? `aide technique${NBSP}: ${d.technicalHelp}` : undefined,
    HUMAN_HELP_LABELS[d.humanHelp],
    d.comment,
  ]);
}

function habitLine(h: SectionViews['habits']): string {
  return `${HABIT_TOPIC_LABELS[h.topic]}${NBSP}: ${h.answer || 'non renseigné'}${h.date ? ` (${formatPartialDateFr(h.date) ?? h.date})` : ''}`;
}

function contactLine(c: SectionViews['contacts']): string {
  return joinParts([
    `${c.firstName} ${c.lastName.toLocaleUpperCase('fr-FR')}`.trim() || 'Contact',
    CONTACT_KIND_LABELS[c.kind],
    CONTACT_RELATION_LABELS[c.relation],
    c.phone ? `tél. ${c.phone.replace(/ /g, NBSP)}` : undefined,
    c.email,
    c.address,
  ]);
}

function measureLine(m: Measure): string {
  const def = MEASURES[m.code];
  const unit = def.units.find((u) => u.ucum === m.unit)?.display ?? m.unit;
  const value =
    m.systolic !== undefined && m.diastolic !== undefined
      ? formatQuantityFr(`${formatNumberFr(m.systolic, 0)}/${formatNumberFr(m.diastolic, 0)}`, unit)
      : m.value !== undefined
        ? formatQuantityFr(m.value, unit, def.decimals)
        : 'valeur non lisible';
  const by = m.source.kind === 'app' ? `, transmise par ${m.source.name ?? 'une application connectée'}` : '';
  return `${def.label}${NBSP}: ${value} (${onDateFr(m.date) ?? m.date}${by})`;
}

// --- the whole -----------------------------------------------------------------------------------------------

/**
 * The content of the summary's sections for one record, read with `ops` (the caller's unit of work). Each list
 * section is read once, whatever the number of summary sections that need it (a treatment names its diseases).
 */
export async function readSummarySections(ops: FhirOperations, fhirBase: string, patientId: string, sections: readonly SummarySection[]): Promise<SummarySectionContent[]> {
  const wanted = orderedSections(sections);
  const cache = new Map<ListSection, Promise<unknown[]>>();
  const entries = <S extends ListSection>(section: S): Promise<SectionViews[S][]> => {
    let p = cache.get(section);
    if (!p) {
      p = sectionEntries(ops, fhirBase, patientId, section);
      cache.set(section, p);
    }
    return p as Promise<SectionViews[S][]>;
  };
  const nameMap = async (section: 'diseases' | 'allergies' | 'treatments') => new Map((await entries(section)).map((e) => [e.id, e.name] as const));
  const documentTitles = new Map<string, string | null>();
  const names: Names = {
    diseases: wanted.includes('TREATMENTS') ? await nameMap('diseases') : new Map(),
    allergies: wanted.includes('TREATMENTS') ? await nameMap('allergies') : new Map(),
    treatments: wanted.includes('ALLERGIES') ? await nameMap('treatments') : new Map(),
    documents: async (ids) => {
      const out: string[] = [];
      for (const id of ids ?? []) {
        if (!documentTitles.has(id)) documentTitles.set(id, await documentTitle(ops, id));
        const title = documentTitles.get(id);
        if (title) out.push(`«${title}»`);
      }
      return out;
    },
  };
  const unconcerned = wanted.some((s) => UNCONCERNED_OF[s])
    ? await findDeclarations(ops, fhirBase, patientId, wanted.map((s) => UNCONCERNED_OF[s]).filter((s): s is UnconcernedSection => !!s))
    : new Map<UnconcernedSection, { declaredAt: string }>();

  const out: SummarySectionContent[] = [];
  for (const section of wanted) {
    let items: string[] = [];
    switch (section) {
      case 'VACCINES':
        items = (await entries('vaccinations')).map(vaccinationLine);
        break;
      case 'ALLERGIES':
        items = (await entries('allergies')).map((a) => allergyLine(a, names));
        break;
      case 'DISEASES':
        items = await inTurn(await entries('diseases'), (d) => diseaseLine(d, names));
        break;
      case 'TREATMENTS':
        items = (await entries('treatments')).map((t) => treatmentLine(t, names));
        break;
      case 'MEASURES':
        for (const code of MEASURE_CODES) {
          const last = await lastMeasure({ fhirBase }, ops, patientId, code);
          if (last) items.push(measureLine(last));
        }
        break;
      case 'HOSPITALIZATIONS':
        items = await inTurn(await entries('hospitalisations'), (h) => hospitalisationLine(h, names));
        break;
      case 'FAMILY_HISTORY':
        items = (await entries('family-history')).map(familyHistoryLine);
        break;
      case 'LIFESTYLES':
        items = (await entries('habits')).map(habitLine);
        break;
      case 'ENTOURAGE_CONTACT':
        items = (await entries('contacts')).map(contactLine);
        break;
      case 'WISHES': {
        const organ = await currentOrganDonation(ops, fhirBase, patientId);
        if (organ) {
          const o = organDonationFromFhir(JSON.parse(organ.content!) as Json);
          items.push(
            joinParts([`Don d’organes${NBSP}: ${ORGAN_DONATION_LABELS[o.position]}`, o.informedRelatives ? 'proches informés de cette position' : 'proches non encore informés', o.comment]),
          );
        }
        const directive = await currentDirective(ops, fhirBase, patientId);
        if (directive) items.push(`Directives anticipées${NBSP}: rédigées${directive.date ? ` ${onDateFr(directive.date)}` : ''}, enregistrées dans les documents`);
        break;
      }
      case 'DISABILITIES':
        items = (await entries('disabilities')).map(disabilityLine);
        break;
      case 'BLOOD_GROUP': {
        const v = await currentBloodGroup(ops, fhirBase, patientId);
        const group = v ? bloodGroupFromFhir(JSON.parse(v.content!) as Json) : undefined;
        if (group) items = [BLOOD_GROUP_NAMES[group]];
        break;
      }
    }
    const code = UNCONCERNED_OF[section];
    const since = code && items.length === 0 ? unconcerned.get(code)?.declaredAt : undefined;
    out.push({ section, title: SUMMARY_SECTION_TITLES[section], items, ...(since ? { unconcernedSince: since } : {}) });
  }
  return out;
}

/** One after the other: the unit of work runs one statement at a time. */
async function inTurn<T>(items: T[], f: (t: T) => Promise<string>): Promise<string[]> {
  const out: string[] = [];
  for (const t of items) out.push(await f(t));
  return out;
}

/** The title of a document of the record, or null when it is gone or not readable. */
async function documentTitle(ops: FhirOperations, id: string): Promise<string | null> {
  try {
    const v = await ops.read('DocumentReference', id);
    return documentView(JSON.parse(v.content!) as Json, v.lastUpdated).title;
  } catch (err) {
    if (err instanceof AppError && (err.status === 403 || err.status === 404 || err.status === 410)) return null;
    throw err;
  }
}
