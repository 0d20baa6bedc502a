import type { Db } from '../../db/index.js';
import {
  ACTIVITY_HEADER,
  MAILBOX_HEADER,
  SEPARATOR,
  activityHeader,
  generateDirectory,
  generateMailboxes,
  mailboxHeader,
  slug,
  type PersonSpec,
} from '../../domain/directory/index.js';
import { importDirectory, type DirectoryImportReport } from '../directory/import.js';
import { ORGANIZATIONS, PRACTITIONERS, organizationId, type DemoOrganization, type DemoPractitioner } from './world.js';

/**
 * The demo world's part of the national directory, loaded through the directory import like the real
 * extracts: the demo professionals of world.ts as lines of PS_LibreAcces_Personne_activite (each demo
 * organization a structure with its FINESS number, dr.durand with two practice situations), about 3,000
 * generated lines so that a directory search has content (some of them look-alikes of the demo: several
 * Durand, pharmacists in Paris), and their MSSanté mailboxes (claire.durand@demo.mssante.fr...).
 */
export const DEMO_DIRECTORY_LINES = 3000;
const DEMO_SEED = 2026;

/** People of the generated part that look like the demo's. */
const LOOKALIKES: readonly PersonSpec[] = [
  { family: 'Durand', given: 'Claude', female: false, profession: '10', city: 'Paris' },
  { family: 'Durand', given: 'Chloé', female: true, profession: '60', city: 'Paris' },
  { family: 'Durand', given: 'Hélène', female: true, profession: '21', city: 'Lyon' },
  { family: 'Durand', given: 'Émilie', female: true, profession: '70', city: 'Besançon' },
  { family: 'Durand-Lefèvre', given: 'Marc', female: false, profession: '10', city: 'Orléans' },
  { family: 'Leroy', given: 'Agnès', female: true, profession: '21', city: 'Paris' },
  { family: 'Lefèvre', given: 'Émilie', female: true, profession: '21', city: 'Paris' },
  { family: 'Moreau', given: 'Théo', female: false, profession: '21', city: 'Paris' },
  { family: 'Petit', given: 'Noémie', female: true, profession: '50', city: 'Saint-Étienne' },
  { family: 'Roux', given: 'Jérôme', female: false, profession: '40', city: 'Évry-Courcouronnes' },
];

const GENERATED = { lines: DEMO_DIRECTORY_LINES, seed: DEMO_SEED, people: LOOKALIKES } as const;

/** The demo professional's MSSanté address: claire.durand@demo.mssante.fr. */
export function demoMailbox(p: DemoPractitioner): string {
  return `${slug(p.given)}.${slug(p.family)}@demo.mssante.fr`;
}

interface Address {
  number: string;
  typeCode: string;
  typeLabel: string;
  street: string;
}

const STREET_TYPES: Record<string, [string, string]> = {
  rue: ['R', 'Rue'],
  avenue: ['AV', 'Avenue'],
  boulevard: ['BD', 'Boulevard'],
  place: ['PL', 'Place'],
};

/** "12 rue de Belleville" → number, street type and name, as the extract gives them. */
function address(line: string): Address {
  const m = /^(\d+)\s+(\S+)\s+(.+)$/.exec(line);
  const type = m ? STREET_TYPES[m[2]!.toLowerCase()] : undefined;
  if (!m || !type) return { number: '', typeCode: '', typeLabel: '', street: line };
  return { number: m[1]!, typeCode: type[0], typeLabel: type[1], street: m[3]! };
}

/** INSEE code of the demo cities (Paris by arrondissement). */
function cityCode(o: DemoOrganization): string {
  if (o.city === 'Paris') return `751${o.postalCode.slice(3)}`;
  return o.city === 'Les Lilas' ? '93045' : '';
}

const SECTORS: Record<string, [string, string]> = {
  'msp-belleville': ['SA08', 'Cabinet de groupe'],
  'cabinet-infirmier': ['SA08', 'Cabinet de groupe'],
  'ch-paris-est': ['SA01', 'Etablissement public de santé'],
};

const AUTHORITIES: Record<string, string> = { '10': 'CNOM/CNOM/CNOM', '21': 'CNOP/CNOP/CNOP', '60': 'ONI/ONI/ONI' };

/** One line of the activity file for a demo professional at a demo organization. */
function demoLine(p: DemoPractitioner, orgKey: string, mode: 'L' | 'S'): string {
  const o = ORGANIZATIONS.find((x) => x.key === orgKey)!;
  const a = address(o.line);
  const [sectorCode, sectorLabel] = SECTORS[o.key] ?? ['', ''];
  const department = o.postalCode.slice(0, 2);
  const values: Record<string, string> = {
    "Type d'identifiant PP": '8',
    'Identifiant PP': p.rpps,
    'Identification nationale PP': `8${p.rpps}`,
    "Code civilité d'exercice": p.prefix === 'Dr' ? 'DR' : '',
    "Libellé civilité d'exercice": p.prefix === 'Dr' ? 'Docteur' : '',
    'Code civilité': p.gender === 'female' ? 'MME' : 'M',
    'Libellé civilité': p.gender === 'female' ? 'Madame' : 'Monsieur',
    // the national file writes family names in capitals
    "Nom d'exercice": p.family.toUpperCase(),
    "Prénom d'exercice": p.given,
    'Code profession': p.profession.code,
    'Libellé profession': p.profession.display,
    'Code catégorie professionnelle': 'C',
    'Libellé catégorie professionnelle': 'Civil',
    'Code type savoir-faire': p.specialty ? 'S' : '',
    'Libellé type savoir-faire': p.specialty ? 'Spécialité ordinale' : '',
    'Code savoir-faire': p.specialty?.code ?? '',
    'Libellé savoir-faire': p.specialty?.display ?? '',
    'Code mode exercice': mode,
    'Libellé mode exercice': mode === 'L' ? 'Libéral, indépendant, artisan, commerçant' : 'Salarié',
    'Numéro FINESS site': o.finess,
    'Identifiant technique de la structure': organizationId(o.key),
    'Raison sociale site': o.name,
    'Numéro Voie (coord. structure)': a.number,
    'Code type de voie (coord. structure)': a.typeCode,
    'Libellé type de voie (coord. structure)': a.typeLabel,
    'Libellé Voie (coord. structure)': a.street,
    'Code postal (coord. structure)': o.postalCode,
    'Code commune (coord. structure)': cityCode(o),
    'Libellé commune (coord. structure)': o.city,
    'Téléphone (coord. structure)': `01${o.finess.slice(1, 9)}`,
    'Code Département (structure)': department,
    'Libellé Département (structure)': department === '75' ? 'Paris' : 'Seine-Saint-Denis',
    "Autorité d'enregistrement": AUTHORITIES[p.profession.code] ?? 'ARS/ARS/ARS',
    "Code secteur d'activité": sectorCode,
    "Libellé secteur d'activité": sectorLabel,
    'Code section tableau pharmaciens': p.pharmacistSection?.code ?? '',
    'Libellé section tableau pharmaciens': p.pharmacistSection?.display ?? '',
  };
  return ACTIVITY_HEADER.map((h) => values[h] ?? '').join(SEPARATOR) + SEPARATOR;
}

/** The demo activity extract: header, the demo professionals' lines, then the generated ones. */
export function* demoDirectoryLines(): Generator<string, void, undefined> {
  yield activityHeader();
  for (const p of PRACTITIONERS) {
    yield demoLine(p, p.organization, p.mode ?? 'L');
    for (const s of p.otherSituations ?? []) yield demoLine(p, s.organization, s.mode);
  }
  let first = true;
  for (const line of generateDirectory(GENERATED)) {
    if (first) first = false; // the generator's own header
    else yield line;
  }
}

/** The demo MSSanté extract: the demo professionals' mailboxes, then those of the generated people. */
export function* demoMailboxLines(): Generator<string, void, undefined> {
  yield mailboxHeader();
  for (const p of PRACTITIONERS) {
    const o = ORGANIZATIONS.find((x) => x.key === p.organization)!;
    const values: Record<string, string> = {
      'Type de BAL': 'PER',
      'Adresse BAL': demoMailbox(p),
      'Type Identifiant PP': '8',
      'Identifiant PP': p.rpps,
      'Identification nationale PP': `8${p.rpps}`,
      'Type identifiant structure': '1',
      'Identification Structure': `1${o.finess}`,
      "Civilité d'exercice": p.prefix === 'Dr' ? 'DR' : '',
      "Nom d'exercice": p.family.toUpperCase(),
      "Prénom d'exercice": p.given,
      'Code Profession': p.profession.code,
      'Libellé Profession': p.profession.display,
      'Code savoir-faire': p.specialty?.code ?? '',
      'Libellé savoir-faire': p.specialty?.display ?? '',
      Dématérialisation: 'O',
      'Raison Sociale structure BAL': o.name,
      L6LIGNEACHEMINEMENT: `${o.postalCode} ${o.city.toUpperCase()}`,
      'Code postal': o.postalCode,
      Département: o.postalCode.slice(0, 2),
      Pays: 'FRANCE',
    };
    yield MAILBOX_HEADER.map((h) => values[h] ?? '').join(SEPARATOR) + SEPARATOR;
  }
  let first = true;
  for (const line of generateMailboxes(GENERATED)) {
    if (first) first = false;
    else yield line;
  }
}

/** Chunks of about 64 kB of the lines, for the import's reader. */
function* chunks(lines: Iterable<string>): Generator<string, void, undefined> {
  let buffer = '';
  for (const line of lines) {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/**
 * Imports the demo extracts (activities, then mailboxes) as partial files: they add to the directory and
 * deactivate nothing.
 */
export async function importDemoDirectory(deps: { db: Db; clock?: { now(): Date } }): Promise<{ activities: DirectoryImportReport; mailboxes: DirectoryImportReport }> {
  const activities = await importDirectory(deps, chunks(demoDirectoryLines()), { full: false, fileName: 'demo-PS_LibreAcces_Personne_activite.txt' });
  const mailboxes = await importDirectory(deps, chunks(demoMailboxLines()), { full: false, fileName: 'demo-Extraction_Correspondance_MSSante.txt' });
  return { activities, mailboxes };
}
