/**
 * The layouts of the Annuaire Santé open-data extracts (docs/directory.md): '|'-separated UTF-8 text, one
 * header line, no quoting, a trailing '|' on each line. Columns are found by their header name, never by
 * position, because the layout has changed over time: the 2018-2021 activity files had 52 columns, the later
 * ones 56, and the last four have been published under two spellings ("Code rôle" / "Code fonction").
 */

export const SEPARATOR = '|';

/** The two files Carnet imports. */
export type DirectoryFileKind = 'activities' | 'mailboxes';

/** PS_LibreAcces_Personne_activite, as published in 2024-2026 (56 columns). */
export const ACTIVITY_HEADER: readonly string[] = [
  "Type d'identifiant PP",
  'Identifiant PP',
  'Identification nationale PP',
  "Code civilité d'exercice",
  "Libellé civilité d'exercice",
  'Code civilité',
  'Libellé civilité',
  "Nom d'exercice",
  "Prénom d'exercice",
  'Code profession',
  'Libellé profession',
  'Code catégorie professionnelle',
  'Libellé catégorie professionnelle',
  'Code type savoir-faire',
  'Libellé type savoir-faire',
  'Code savoir-faire',
  'Libellé savoir-faire',
  'Code mode exercice',
  'Libellé mode exercice',
  'Numéro SIRET site',
  'Numéro SIREN site',
  'Numéro FINESS site',
  'Numéro FINESS établissement juridique',
  'Identifiant technique de la structure',
  'Raison sociale site',
  'Enseigne commerciale site',
  'Complément destinataire (coord. structure)',
  'Complément point géographique (coord. structure)',
  'Numéro Voie (coord. structure)',
  'Indice répétition voie (coord. structure)',
  'Code type de voie (coord. structure)',
  'Libellé type de voie (coord. structure)',
  'Libellé Voie (coord. structure)',
  'Mention distribution (coord. structure)',
  'Bureau cedex (coord. structure)',
  'Code postal (coord. structure)',
  'Code commune (coord. structure)',
  'Libellé commune (coord. structure)',
  'Code pays (coord. structure)',
  'Libellé pays (coord. structure)',
  'Téléphone (coord. structure)',
  'Téléphone 2 (coord. structure)',
  'Télécopie (coord. structure)',
  'Adresse e-mail (coord. structure)',
  'Code Département (structure)',
  'Libellé Département (structure)',
  'Ancien identifiant de la structure',
  "Autorité d'enregistrement",
  "Code secteur d'activité",
  "Libellé secteur d'activité",
  'Code section tableau pharmaciens',
  'Libellé section tableau pharmaciens',
  'Code rôle',
  'Libellé rôle',
  'Code genre activité',
  'Libellé genre activité',
];

/** Extraction_Correspondance_MSSante (31 columns). */
export const MAILBOX_HEADER: readonly string[] = [
  'Type de BAL',
  'Adresse BAL',
  'Type Identifiant PP',
  'Identifiant PP',
  'Identification nationale PP',
  'Type identifiant structure',
  'Identification Structure',
  'Service de rattachement',
  "Civilité d'exercice",
  "Nom d'exercice",
  "Prénom d'exercice",
  'Catégorie profession',
  'Libellé de catégorie profession',
  'Code Profession',
  'Libellé Profession',
  'Code savoir-faire',
  'Libellé savoir-faire',
  'Dématérialisation',
  'Raison Sociale structure BAL',
  'Enseigne commerciale structure BAL',
  'L2COMPLEMENTLOCALISATION',
  'L3COMPLEMENTDISTRIBUTION',
  'L4NUMEROVOIE',
  'L4COMPLEMENTNUMEROVOIE',
  'NL4TYPEVOIE',
  'L4LIBELLEVOIE',
  'L5LIEUDITMENTION',
  'L6LIGNEACHEMINEMENT',
  'Code postal',
  'Département',
  'Pays',
];

interface ColumnSpec<K extends string> {
  readonly key: K;
  /** Accepted header names; matched exactly (once normalised), else as a prefix of the header. */
  readonly names: readonly string[];
  readonly required: boolean;
}

const spec = <K extends string>(key: K, names: string | string[], required = false): ColumnSpec<K> => ({
  key,
  names: (Array.isArray(names) ? names : [names]).map(headerKey),
  required,
});

/**
 * Columns of the activity file. Required: what identifies a person and a practice situation (the role id is
 * derived from them) and what a search shows; the address details and the columns added after 2021 are optional.
 */
const ACTIVITY_COLUMNS = [
  spec('idType', "Type d'identifiant PP", true),
  spec('identifier', 'Identifiant PP', true),
  spec('idnat', 'Identification nationale PP', true),
  spec('practiceCivilityCode', "Code civilité d'exercice"),
  spec('practiceCivilityLabel', "Libellé civilité d'exercice"),
  spec('civilityCode', 'Code civilité'),
  spec('civilityLabel', 'Libellé civilité'),
  spec('family', "Nom d'exercice", true),
  spec('given', "Prénom d'exercice", true),
  spec('professionCode', 'Code profession', true),
  spec('professionLabel', 'Libellé profession', true),
  spec('categoryCode', 'Code catégorie professionnelle', true),
  spec('categoryLabel', 'Libellé catégorie professionnelle'),
  spec('skillTypeCode', 'Code type savoir-faire', true),
  spec('skillTypeLabel', 'Libellé type savoir-faire'),
  spec('skillCode', 'Code savoir-faire', true),
  spec('skillLabel', 'Libellé savoir-faire', true),
  spec('modeCode', 'Code mode exercice', true),
  spec('modeLabel', 'Libellé mode exercice'),
  spec('siret', 'Numéro SIRET site', true),
  spec('siren', 'Numéro SIREN site'),
  spec('finessSite', 'Numéro FINESS site', true),
  spec('finessEj', 'Numéro FINESS établissement juridique'),
  spec('structureId', 'Identifiant technique de la structure', true),
  spec('name', 'Raison sociale site', true),
  spec('tradeName', 'Enseigne commerciale site'),
  spec('recipientComplement', 'Complément destinataire'),
  spec('geoComplement', 'Complément point géographique'),
  spec('streetNumber', 'Numéro Voie'),
  spec('streetIndex', 'Indice répétition voie'),
  spec('streetTypeCode', 'Code type de voie'),
  spec('streetTypeLabel', 'Libellé type de voie'),
  spec('streetName', 'Libellé Voie'),
  spec('distribution', 'Mention distribution'),
  spec('cedex', 'Bureau cedex'),
  spec('postalCode', 'Code postal', true),
  spec('cityCode', 'Code commune'),
  spec('city', 'Libellé commune', true),
  spec('countryCode', 'Code pays'),
  spec('countryLabel', 'Libellé pays'),
  spec('phone', 'Téléphone'),
  spec('phone2', 'Téléphone 2'),
  spec('fax', 'Télécopie'),
  spec('email', 'Adresse e-mail'),
  spec('departmentCode', 'Code Département'),
  spec('departmentLabel', 'Libellé Département'),
  spec('formerStructureId', 'Ancien identifiant de la structure'),
  spec('registrationAuthority', "Autorité d'enregistrement"),
  spec('sectorCode', "Code secteur d'activité"),
  spec('sectorLabel', "Libellé secteur d'activité"),
  spec('pharmacistSectionCode', 'Code section tableau pharmaciens'),
  spec('pharmacistSectionLabel', 'Libellé section tableau pharmaciens'),
  // added after 2021; one fixture spells them "Code fonction", "Code genre d'activité"
  spec('roleCode', ['Code rôle', 'Code fonction']),
  spec('roleLabel', ['Libellé rôle', 'Libellé fonction']),
  spec('genreCode', ['Code genre']),
  spec('genreLabel', ['Libellé genre']),
] as const;

const MAILBOX_COLUMNS = [
  spec('kind', 'Type de BAL', true),
  spec('address', 'Adresse BAL', true),
  spec('idType', 'Type Identifiant PP', true),
  spec('identifier', 'Identifiant PP', true),
  spec('idnat', 'Identification nationale PP', true),
  spec('organizationIdType', 'Type identifiant structure'),
  spec('organizationId', 'Identification Structure'),
  spec('service', 'Service de rattachement'),
  spec('practiceCivility', "Civilité d'exercice"),
  spec('family', "Nom d'exercice"),
  spec('given', "Prénom d'exercice"),
  spec('categoryCode', 'Catégorie profession'),
  spec('categoryLabel', 'Libellé de catégorie profession'),
  spec('professionCode', 'Code Profession'),
  spec('professionLabel', 'Libellé Profession'),
  spec('skillCode', 'Code savoir-faire'),
  spec('skillLabel', 'Libellé savoir-faire'),
  spec('dematerialisation', 'Dématérialisation'),
  spec('organizationName', 'Raison Sociale structure BAL'),
  spec('organizationTradeName', 'Enseigne commerciale structure BAL'),
  spec('cityLine', 'L6LIGNEACHEMINEMENT'),
  spec('postalCode', 'Code postal'),
  spec('department', 'Département'),
  spec('country', 'Pays'),
] as const;

export type ActivityColumn = (typeof ACTIVITY_COLUMNS)[number]['key'];
export type MailboxColumn = (typeof MAILBOX_COLUMNS)[number]['key'];

/**
 * Where each column is in a file: its index, or -1 when an optional column is absent. `fields` is the number
 * of columns of the header, which every line must have (plus the trailing empty field).
 */
export interface ColumnMap<K extends string> {
  readonly index: Readonly<Record<K, number>>;
  readonly fields: number;
}

export type ActivityColumns = ColumnMap<ActivityColumn>;
export type MailboxColumns = ColumnMap<MailboxColumn>;

export type HeaderResult =
  | { ok: true; kind: 'activities'; columns: ActivityColumns }
  | { ok: true; kind: 'mailboxes'; columns: MailboxColumns }
  | { ok: false; error: string };

/**
 * The comparable form of a header name: without accents, case, typographic apostrophes, doubled spaces and
 * parenthesised qualifiers ("Code postal (coord. structure)" → "code postal").
 */
export function headerKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[\s_]+/g, ' ')
    .trim();
}

/** The names of a header line, without the empty name after its trailing '|'. */
export function splitHeader(line: string): string[] {
  const names = line.replace(/^\uFEFF/, '').split(SEPARATOR);
  if (names.length > 1 && names[names.length - 1]!.trim() === '') names.pop();
  return names;
}

/** Finds the columns of a header, or says which required ones are missing. */
function resolve<K extends string>(specs: readonly ColumnSpec<K>[], published: readonly string[], header: readonly string[], what: string): { ok: true; columns: ColumnMap<K> } | { ok: false; error: string } {
  const keys = header.map(headerKey);
  const exact = new Set<string>();
  for (const s of specs) for (const n of s.names) exact.add(n);
  const index = {} as Record<K, number>;
  const taken = new Set<number>();
  const missing: string[] = [];
  // exact names first, so that a prefix ("code civilite") never takes a column another name is exactly
  // ("code civilite d'exercice")
  for (const s of specs) {
    const i = keys.findIndex((k, j) => !taken.has(j) && s.names.includes(k));
    index[s.key] = i;
    if (i >= 0) taken.add(i);
  }
  for (const s of specs) {
    if (index[s.key] >= 0) continue;
    const i = keys.findIndex((k, j) => !taken.has(j) && !exact.has(k) && s.names.some((n) => k.startsWith(`${n} `) || k.startsWith(`${n}'`)));
    index[s.key] = i;
    if (i >= 0) taken.add(i);
    else if (s.required) missing.push(s.names[0]!);
  }
  if (missing.length > 0) {
    const names = missing.map((m) => `'${published.find((h) => headerKey(h) === m) ?? m}'`);
    return { ok: false, error: `The header of this ${what} file lacks the column${missing.length > 1 ? 's' : ''} ${names.join(', ')}` };
  }
  return { ok: true, columns: { index, fields: header.length } };
}

/**
 * Reads a header line and says which file it is (the activity file, or the MSSanté mailboxes) with where
 * its columns are. The other files of the PS_LibreAcces archive (SavoirFaire, Dipl_AutExerc) are refused
 * with a message naming the file to give instead.
 */
export function parseDirectoryHeader(line: string, expected?: DirectoryFileKind): HeaderResult {
  const header = splitHeader(line);
  if (header.some((h) => h.includes('\uFFFD'))) {
    return { ok: false, error: 'The file is not UTF-8 text (older extracts were latin-1: convert it first, e.g. iconv -f latin1 -t utf-8)' };
  }
  const keys = new Set(header.map(headerKey));
  let kind: DirectoryFileKind | undefined;
  if (keys.has('adresse bal') || keys.has('type de bal')) kind = 'mailboxes';
  else if (keys.has('code type diplome obtenu') || keys.has('code diplome obtenu')) {
    return { ok: false, error: 'This is PS_LibreAcces_Dipl_AutExerc (diplomas): import PS_LibreAcces_Personne_activite instead' };
  } else if (keys.has('identification nationale pp') && (keys.has('identifiant technique de la structure') || keys.has('code mode exercice') || keys.has('raison sociale site'))) {
    kind = 'activities';
  } else if (keys.has('identification nationale pp') && keys.has('code savoir-faire')) {
    return { ok: false, error: 'This is PS_LibreAcces_SavoirFaire (skills): import PS_LibreAcces_Personne_activite instead' };
  }
  if (!kind) {
    return {
      ok: false,
      error: `The header is neither PS_LibreAcces_Personne_activite nor Extraction_Correspondance_MSSante ('|'-separated, starting "${header.slice(0, 3).join('|')}")`,
    };
  }
  if (expected && expected !== kind) return { ok: false, error: `Expected a ${expected} file, but the header is that of a ${kind} file` };
  if (kind === 'activities') {
    const r = resolve(ACTIVITY_COLUMNS, ACTIVITY_HEADER, header, 'PS_LibreAcces_Personne_activite');
    return r.ok ? { ok: true, kind, columns: r.columns } : r;
  }
  const r = resolve(MAILBOX_COLUMNS, MAILBOX_HEADER, header, 'Extraction_Correspondance_MSSante');
  return r.ok ? { ok: true, kind, columns: r.columns } : r;
}

/**
 * The fields of a data line: split on '|'. Every line ends with '|', which gives one more, empty, field: it is
 * dropped. A line without that trailing '|' is also read. Any other count is a reason to reject the line.
 */
export function splitFields(line: string, expected: number): { ok: true; fields: string[] } | { ok: false; reason: string } {
  const fields = line.split(SEPARATOR);
  if (fields.length === expected + 1 && fields[expected] === '') {
    fields.pop();
    return { ok: true, fields };
  }
  if (fields.length === expected) return { ok: true, fields };
  const found = line.endsWith(SEPARATOR) ? fields.length - 1 : fields.length;
  return { ok: false, reason: `wrong number of fields: ${found} instead of ${expected}` };
}
