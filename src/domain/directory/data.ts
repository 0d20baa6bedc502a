/**
 * Reference lists for the directory generator (./generate.ts): the profession mix, savoir-faire, structure
 * names, streets and the departments of the cities. The people and structures are fictitious; the places and
 * the codes follow the published terminologies as far as they are known (docs/directory.md).
 */
import { CITIES as POPULATION_CITIES, type City } from '../population/data.js';

export interface Skill {
  readonly typeCode: string;
  readonly typeLabel: string;
  readonly code: string;
  readonly label: string;
}

const S = (code: string, label: string): Skill => ({ typeCode: 'S', typeLabel: 'Spécialité ordinale', code, label });

/** Spécialités ordinales of médecins (TRE_R38), [skill, weight]. General practice dominates, as in the file. */
export const DOCTOR_SKILLS: ReadonlyArray<readonly [Skill, number]> = [
  [S('SM53', 'Spécialiste en Médecine Générale'), 34],
  [S('SM26', 'Qualifié en médecine générale'), 15],
  [S('SM54', 'Médecine Générale'), 5],
  [S('SM04', 'Cardiologie et maladies vasculaires'), 5],
  [S('SM40', 'Pédiatrie'), 4],
  [S('SM42', 'Psychiatrie'), 5],
  [S('SM02', 'Anesthésie-réanimation'), 5],
  [S('SM44', 'Radio-diagnostic'), 3],
  [S('SM38', 'Ophtalmologie'), 3],
  [S('SM15', 'Dermatologie et vénéréologie'), 2],
  [S('SM20', 'Gynécologie-obstétrique'), 3],
  [S('SM19', 'Gynécologie médicale'), 1],
  [S('SM24', 'Gastro-entérologie et hépatologie'), 2],
  [S('SM32', 'Neurologie'), 2],
  [S('SM41', 'Pneumologie'), 2],
  [S('SM48', 'Rhumatologie'), 1],
  [S('SM18', 'Gériatrie'), 2],
  [S('SM27', 'Médecine interne'), 1],
  [S('SM08', 'Chirurgie orthopédique et traumatologie'), 2],
  [S('SM49', 'Santé publique et médecine sociale'), 1],
];

/** Spécialités ordinales of chirurgiens-dentistes; most have none. */
export const DENTIST_SKILLS: ReadonlyArray<readonly [Skill | undefined, number]> = [
  [undefined, 85],
  [S('SCD01', 'Orthopédie dento-faciale'), 8],
  [S('SCD02', 'Chirurgie orale'), 4],
  [S('SCD03', 'Médecine bucco-dentaire'), 3],
];

export interface Profession {
  readonly code: string;
  readonly label: string;
  /** Share of people (not lines), roughly as in the national file. */
  readonly weight: number;
  /** Share of women. */
  readonly female: number;
  /** Share registered in ADELI rather than RPPS. */
  readonly adeli: number;
  /** Autorité d'enregistrement of RPPS registrations. */
  readonly authority: string;
  /** Share of people practising under the civility "Docteur". */
  readonly doctor: number;
  /** MSSanté domain of personal mailboxes, when the profession has one. */
  readonly mailDomain?: string;
  /** Share of people with a personal MSSanté mailbox. */
  readonly mailbox: number;
}

export const PROFESSIONS: readonly Profession[] = [
  { code: '60', label: 'Infirmier', weight: 30, female: 0.87, adeli: 0.02, authority: 'ONI/ONI/ONI', doctor: 0, mailDomain: 'infirmier.mssante.fr', mailbox: 0.3 },
  { code: '10', label: 'Médecin', weight: 22, female: 0.5, adeli: 0, authority: 'CNOM/CNOM/CNOM', doctor: 1, mailDomain: 'medecin.mssante.fr', mailbox: 0.75 },
  { code: '70', label: 'Masseur-Kinésithérapeute', weight: 9, female: 0.5, adeli: 0.02, authority: 'CNOMK/CNOMK/CNOMK', doctor: 0, mailDomain: 'masseur-kinesitherapeute.mssante.fr', mailbox: 0.35 },
  { code: '21', label: 'Pharmacien', weight: 7, female: 0.68, adeli: 0, authority: 'CNOP/CNOP/CNOP', doctor: 0.4, mailDomain: 'pharmacien.mssante.fr', mailbox: 0.6 },
  { code: '40', label: 'Chirurgien-Dentiste', weight: 4, female: 0.48, adeli: 0, authority: 'CNOCD/CNOCD/CNOCD', doctor: 0.6, mailDomain: 'chirurgien-dentiste.mssante.fr', mailbox: 0.5 },
  { code: '50', label: 'Sage-Femme', weight: 2.5, female: 0.97, adeli: 0, authority: 'CNOSF/CNOSF/CNOSF', doctor: 0, mailDomain: 'sagefemme.mssante.fr', mailbox: 0.5 },
  { code: '91', label: 'Orthophoniste', weight: 2.5, female: 0.96, adeli: 0.1, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.2 },
  { code: '28', label: 'Opticien-Lunetier', weight: 3, female: 0.55, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.05 },
  { code: '98', label: 'Manipulateur ERM', weight: 3, female: 0.7, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.1 },
  { code: '80', label: 'Pédicure-Podologue', weight: 1.5, female: 0.7, adeli: 0.02, authority: 'ONPP/ONPP/ONPP', doctor: 0, mailDomain: 'pedicure-podologue.mssante.fr', mailbox: 0.2 },
  { code: '94', label: 'Ergothérapeute', weight: 1.5, female: 0.85, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.1 },
  { code: '96', label: 'Psychomotricien', weight: 1.5, female: 0.88, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.1 },
  { code: '95', label: 'Diététicien', weight: 1, female: 0.9, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.1 },
  { code: '86', label: 'Technicien de labo médical', weight: 1, female: 0.75, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.05 },
  { code: '92', label: 'Orthoptiste', weight: 0.5, female: 0.9, adeli: 0.1, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.2 },
  { code: '26', label: 'Audioprothésiste', weight: 0.5, female: 0.4, adeli: 0.5, authority: 'ARS/ARS/ARS', doctor: 0, mailbox: 0.05 },
];

export const MODES = {
  L: 'Libéral, indépendant, artisan, commerçant',
  S: 'Salarié',
  B: 'Bénévole',
} as const;

export const CATEGORIES = { C: 'Civil', E: 'Etudiant', M: 'Agent public' } as const;

export const SECTORS = {
  SA01: 'Etablissement public de santé',
  SA03: 'Etablissement privé non PSPH',
  SA05: 'Centre de santé',
  SA07: 'Cabinet individuel',
  SA08: 'Cabinet de groupe',
} as const;

export const PHARMACIST_SECTIONS = {
  A: "Pharmacien titulaire d'officine",
  D: "Pharmacien adjoint d'officine",
  G: 'Pharmacien biologiste',
  H: 'Pharmacien des établissements de santé',
} as const;

/** [code, label, weight] of the street types (Code / Libellé type de voie). */
export const STREET_TYPES: ReadonlyArray<readonly [string, string, number]> = [
  ['R', 'Rue', 50],
  ['AV', 'Avenue', 16],
  ['BD', 'Boulevard', 10],
  ['PL', 'Place', 6],
  ['CHE', 'Chemin', 4],
  ['ALL', 'Allée', 4],
  ['IMP', 'Impasse', 3],
  ['QU', 'Quai', 3],
  ['RTE', 'Route', 3],
  ['CRS', 'Cours', 1],
];

export const STREET_NAMES: readonly string[] = [
  'de la République', 'Jean Jaurès', 'Victor Hugo', 'Pasteur', 'du Général de Gaulle', 'Gambetta', 'de la Gare',
  'Jules Ferry', "de l'Église", 'Voltaire', 'Émile Zola', 'Nationale', 'du Moulin', 'des Écoles', 'Foch',
  'Carnot', 'Paul Bert', 'Anatole France', 'de la Liberté', 'du Château', 'de la Fontaine', 'de la Marne',
  'Lafayette', 'Jean Moulin', 'Saint-Jacques', 'de Lyon', 'des Lilas', 'des Tilleuls', 'des Acacias',
  'de Belleville', 'Aristide Briand', 'Léon Blum', 'Clemenceau', 'de Verdun', 'du Maréchal Leclerc',
  'Hélène Boucher', 'Marie Curie', 'Françoise Dolto', 'des Peupliers', 'de la Paix',
];

/** Parts of the names of group practices, pharmacies and centres. */
export const PLACE_NAMES: readonly string[] = [
  'du Centre', 'de la Gare', 'du Marché', 'des Arcades', 'du Parc', 'de la Fontaine', 'des Tilleuls', 'Pasteur',
  'Jean Jaurès', 'de la Mairie', 'des Halles', 'du Théâtre', 'Saint-Michel', 'des Lilas', 'de l’Hôtel de Ville',
  'du Port', 'des Écoles', 'de la Cathédrale', 'du Pont', 'des Quatre Chemins',
];

export const SAINTS: readonly string[] = ['Saint-Joseph', 'Sainte-Anne', 'Saint-Louis', 'Saint-Antoine', 'Sainte-Marie', 'Saint-Vincent', 'Saint-Jean', 'Sainte-Thérèse'];

export const HOSPITAL_SERVICES: readonly string[] = ['Cardiologie', 'Pédiatrie', 'Urgences', 'Médecine interne', 'Imagerie médicale', 'Maternité', 'Psychiatrie', 'Gériatrie'];

/** The cities of the population generator, and Évry-Courcouronnes. */
export const CITIES: readonly City[] = [
  ...POPULATION_CITIES,
  { name: 'Évry-Courcouronnes', insee: '91228', postalCodes: ['91000', '91080'], weight: 66 },
];

/** Department labels (Code / Libellé Département) of the cities' departments. */
export const DEPARTMENTS: Readonly<Record<string, string>> = {
  '06': 'Alpes-Maritimes', '13': 'Bouches-du-Rhône', '14': 'Calvados', '17': 'Charente-Maritime', '21': "Côte-d'Or",
  '25': 'Doubs', '29': 'Finistère', '2A': 'Corse-du-Sud', '2B': 'Haute-Corse', '30': 'Gard', '31': 'Haute-Garonne',
  '33': 'Gironde', '34': 'Hérault', '35': 'Ille-et-Vilaine', '37': 'Indre-et-Loire', '38': 'Isère', '42': 'Loire',
  '44': 'Loire-Atlantique', '45': 'Loiret', '49': 'Maine-et-Loire', '51': 'Marne', '54': 'Meurthe-et-Moselle',
  '57': 'Moselle', '59': 'Nord', '63': 'Puy-de-Dôme', '64': 'Pyrénées-Atlantiques', '66': 'Pyrénées-Orientales',
  '67': 'Bas-Rhin', '68': 'Haut-Rhin', '69': 'Rhône', '72': 'Sarthe', '74': 'Haute-Savoie', '75': 'Paris',
  '76': 'Seine-Maritime', '78': 'Yvelines', '80': 'Somme', '83': 'Var', '84': 'Vaucluse', '86': 'Vienne',
  '87': 'Haute-Vienne', '91': 'Essonne', '92': 'Hauts-de-Seine', '93': 'Seine-Saint-Denis', '94': 'Val-de-Marne',
  '971': 'Guadeloupe', '972': 'Martinique', '973': 'Guyane', '974': 'La Réunion',
};

/** The first digits of landline numbers, by department (the five French zones and overseas). */
export function phonePrefix(department: string): string {
  const overseas: Record<string, string> = { '971': '0590', '972': '0596', '973': '0594', '974': '0262' };
  if (overseas[department]) return overseas[department]!;
  if (['75', '77', '78', '91', '92', '93', '94', '95'].includes(department)) return '01';
  if (['14', '29', '35', '37', '44', '45', '49', '72', '76'].includes(department)) return '02';
  if (['21', '25', '51', '54', '57', '59', '62', '67', '68', '80'].includes(department)) return '03';
  if (['17', '31', '33', '64', '86', '87'].includes(department)) return '05';
  return '04';
}
