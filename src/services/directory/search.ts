import type { Queryable } from '../../db/index.js';
import { PROFESSIONS, civilityPrefix, searchKey } from '../../domain/directory/index.js';
import { AppError } from '../../errors.js';

/**
 * Searching the national directory (docs/directory.md#search): practice situations (active roles) by name,
 * city or postal code, profession and specialty. Names and cities are compared without accents, case,
 * hyphens or apostrophes, by prefix, on the keys stored with each role, through the indexes of migration
 * 0005; the page's professionals, structures and mailboxes are read for that page only.
 */
export interface DirectorySearch {
  /** A family name prefix ("lefevre", "LEFÈVRE"), or family and given name prefixes in either order ("lefevre em", "émilie lef"). */
  name?: string;
  /** TRE_G15 profession code (10 médecin, 21 pharmacien...). */
  profession?: string;
  /** Savoir-faire code (SM53...). */
  specialty?: string;
  /** A city prefix ("besancon", "Saint-Étienne"), or a postal code prefix when digits ("750", "25000"). */
  city?: string;
  /** From 1 (default). */
  page?: number;
  /** 1 to 50, default 20. */
  pageSize?: number;
}

export interface DirectoryItem {
  roleId: string;
  practitionerId: string;
  /** '8' RPPS, '0' ADELI. */
  idType: string;
  identifier: string;
  /** "Dr", "Pr", "M.", "Mme", or null. */
  civility: string | null;
  family: string;
  given: string;
  professionCode: string;
  professionLabel: string | null;
  skillCode: string | null;
  skillLabel: string | null;
  modeLabel: string | null;
  organizationId: string | null;
  organizationName: string | null;
  addressLines: string[];
  postalCode: string | null;
  city: string | null;
  phone: string | null;
  /** The professional's personal MSSanté mailboxes. */
  mailboxes: string[];
}

export interface DirectoryPage {
  items: DirectoryItem[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export interface DirectoryPractitioner {
  id: string;
  idType: string;
  identifier: string;
  civility: string | null;
  family: string;
  given: string;
  active: boolean;
  /** The active practice situations. */
  situations: DirectoryItem[];
  /** Active mailboxes naming this professional (personal, and organisational ones attached to them). */
  mailboxes: string[];
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
/** Deeper than this many results, a search must be refined (OFFSET paging stays cheap). */
const MAX_DEPTH = 10_000;
/** Words of a name query considered (each split of them is one alternative). */
const MAX_NAME_WORDS = 4;

const invalid = (message: string, code: string) => new AppError(400, 'invalid', message).withCode(code);

/** A whole number from a query parameter, or undefined when absent; a 400 when it is not one. */
function integer(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw invalid(`${what} must be a whole number`, 'directory.bad-paging');
  return n;
}

/** The first value of a query parameter given once or several times, as a string. */
function text(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Reads the query string of GET /api/directory. */
export function parseDirectoryQuery(query: Record<string, unknown>): DirectorySearch {
  const out: DirectorySearch = {};
  for (const key of ['name', 'profession', 'specialty', 'city'] as const) {
    const v = text(query[key]);
    if (v !== undefined && v.trim() !== '') out[key] = v;
  }
  const page = integer(text(query.page), 'page');
  const pageSize = integer(text(query.pageSize), 'pageSize');
  if (page !== undefined) out.page = page;
  if (pageSize !== undefined) out.pageSize = pageSize;
  return out;
}

/** The smallest string above every string that starts with `prefix`, in byte order (UTF-8 keeps code point order). */
function upperBound(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const cut = last > 0xffff ? 2 : 1;
  return prefix.slice(0, prefix.length - cut) + String.fromCodePoint(Math.min(last + 1, 0x10ffff));
}

class Sql {
  readonly params: unknown[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  /** `column` starts with `prefix`, as an index range in byte order (text_pattern_ops indexes). */
  prefix(column: string, prefix: string): string {
    return `(${column} ~>=~ ${this.param(prefix)} AND ${column} ~<~ ${this.param(upperBound(prefix))})`;
  }
}

/** What a page reads of a role before joining its professional and structure. */
const ROLE_COLUMNS =
  'r.id, r.practitioner_id, r.organization_id, r.profession_code, r.profession_label, r.skill_code, r.skill_label, r.mode_label, r.family_key, r.given_key';

const ITEM_COLUMNS = `r.id AS "roleId", r.practitioner_id AS "practitionerId", p.id_type AS "idType", p.identifier,
       p.civility_code AS "civilityCode", p.practice_civility_code AS "practiceCivilityCode", p.family, p.given,
       r.profession_code AS "professionCode", r.profession_label AS "professionLabel", r.skill_code AS "skillCode",
       r.skill_label AS "skillLabel", r.mode_label AS "modeLabel", o.id AS "organizationId", o.name AS "organizationName",
       o.address_lines AS "addressLines", o.postal_code AS "postalCode", o.city, o.phone`;

interface ItemRow extends Omit<DirectoryItem, 'civility' | 'mailboxes'> {
  civilityCode: string | null;
  practiceCivilityCode: string | null;
}

function toItem(row: ItemRow, mailboxes: Map<string, string[]>): DirectoryItem {
  const { civilityCode, practiceCivilityCode, ...rest } = row;
  return {
    ...rest,
    civility: civilityPrefix(practiceCivilityCode, civilityCode) ?? null,
    addressLines: row.addressLines ?? [],
    organizationName: row.organizationName === '' ? null : row.organizationName,
    mailboxes: mailboxes.get(row.practitionerId) ?? [],
  };
}

/** The active personal mailboxes of these professionals. */
async function mailboxesOf(db: Queryable, practitionerIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (practitionerIds.length === 0) return out;
  const { rows } = await db.query<{ practitioner_id: string; address: string }>(
    `SELECT practitioner_id, address FROM directory_mailbox
      WHERE practitioner_id = ANY($1::text[]) AND active AND kind = 'PER' ORDER BY address`,
    [practitionerIds],
  );
  for (const r of rows) {
    const list = out.get(r.practitioner_id) ?? [];
    list.push(r.address);
    out.set(r.practitioner_id, list);
  }
  return out;
}

/**
 * One page of active practice situations matching the criteria, ordered by family name, given name and role
 * id. A name (2 characters or more) or a city is required: 400 otherwise, as for bad paging.
 */
export async function searchDirectory(db: Queryable, q: DirectorySearch): Promise<DirectoryPage> {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) throw invalid('page must be a whole number from 1', 'directory.bad-paging');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalid(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`, 'directory.bad-paging');
  }
  if ((page - 1) * pageSize >= MAX_DEPTH) throw invalid(`Only the first ${MAX_DEPTH} results can be paged through: refine the search`, 'directory.too-deep');

  const nameKey = q.name === undefined ? '' : searchKey(q.name);
  const cityText = q.city?.trim() ?? '';
  const postal = /^[\d\s]+$/.test(cityText) ? cityText.replace(/\s/g, '') : '';
  const cityKey = postal ? '' : searchKey(cityText);
  const hasName = nameKey.replace(/ /g, '').length >= 2;
  const hasCity = postal.length >= 2 || cityKey.replace(/ /g, '').length >= 2;
  if (!hasName && !hasCity) {
    throw invalid('Give a name (2 characters or more) or a city (or postal code) to search the directory', 'directory.criteria-required');
  }
  if (q.profession !== undefined && !/^[A-Za-z0-9]{1,10}$/.test(q.profession)) throw invalid('profession must be a TRE_G15 code, e.g. 10', 'directory.bad-criteria');
  if (q.specialty !== undefined && !/^[A-Za-z0-9]{1,20}$/.test(q.specialty)) throw invalid('specialty must be a savoir-faire code, e.g. SM53', 'directory.bad-criteria');

  const sql = new Sql();
  const filters: string[] = [];
  if (postal) filters.push(`(r.postal_code >= ${sql.param(postal)} AND r.postal_code < ${sql.param(upperBound(postal))})`);
  else if (cityKey !== '') filters.push(sql.prefix('r.city_key', cityKey));
  if (q.profession !== undefined) filters.push(`r.profession_code = ${sql.param(q.profession)}`);
  if (q.specialty !== undefined) filters.push(`r.skill_code = ${sql.param(q.specialty)}`);
  // a name of several words is family then given names, given then family names, or a family name of several
  // words: one branch each, every branch read in index order up to the page's end, then merged
  const branches: string[][] = [];
  if (nameKey === '') branches.push([]);
  else {
    const words = nameKey.split(' ').slice(0, MAX_NAME_WORDS);
    branches.push([sql.prefix('r.family_key', words.join(' '))]);
    for (let k = 1; k < words.length; k++) {
      const head = words.slice(0, k).join(' ');
      const tail = words.slice(k).join(' ');
      branches.push([sql.prefix('r.family_key', head), sql.prefix('r.given_key', tail)]);
      branches.push([sql.prefix('r.given_key', head), sql.prefix('r.family_key', tail)]);
    }
  }
  const end = branches.length > 1 ? sql.param((page - 1) * pageSize + pageSize + 1) : '';
  const limit = sql.param(pageSize + 1);
  const offset = sql.param((page - 1) * pageSize);
  const order = (t: string) => `${t}.family_key USING ~<~, ${t}.given_key USING ~<~, ${t}.id USING ~<~`;
  const select = (conditions: string[]) =>
    `SELECT ${ROLE_COLUMNS} FROM directory_role r WHERE ${['r.active', ...conditions, ...filters].join(' AND ')} ORDER BY ${order('r')}`;
  const pageSql =
    branches.length === 1
      ? `${select(branches[0]!)} LIMIT ${limit} OFFSET ${offset}`
      : `SELECT * FROM (${branches.map((b) => `(${select(b)} LIMIT ${end})`).join(' UNION ')}) r ORDER BY ${order('r')} LIMIT ${limit} OFFSET ${offset}`;
  const { rows } = await db.query<ItemRow>(
    `WITH page AS (${pageSql})
     SELECT ${ITEM_COLUMNS}
       FROM page r JOIN directory_practitioner p ON p.id = r.practitioner_id
       LEFT JOIN directory_organization o ON o.id = r.organization_id
      ORDER BY ${order('r')}`,
    sql.params,
  );
  const hasMore = rows.length > pageSize;
  const pageRows = rows.slice(0, pageSize);
  const mailboxes = await mailboxesOf(db, [...new Set(pageRows.map((r) => r.practitionerId))]);
  return { items: pageRows.map((r) => toItem(r, mailboxes)), page, pageSize, hasMore };
}

/** A professional with their active practice situations and mailboxes, or undefined when the directory does not know them. */
export async function getPractitioner(db: Queryable, id: string): Promise<DirectoryPractitioner | undefined> {
  const { rows } = await db.query<{
    id: string;
    id_type: string;
    identifier: string;
    civility_code: string | null;
    practice_civility_code: string | null;
    family: string;
    given: string;
    active: boolean;
  }>('SELECT id, id_type, identifier, civility_code, practice_civility_code, family, given, active FROM directory_practitioner WHERE id = $1', [id]);
  const p = rows[0];
  if (!p) return undefined;
  const [{ rows: roles }, { rows: mailboxes }] = await Promise.all([
    db.query<ItemRow>(
      `SELECT ${ITEM_COLUMNS}
         FROM directory_role r JOIN directory_practitioner p ON p.id = r.practitioner_id
         LEFT JOIN directory_organization o ON o.id = r.organization_id
        WHERE r.practitioner_id = $1 AND r.active
        ORDER BY r.profession_code, r.skill_code NULLS FIRST, o.name, r.id`,
      [id],
    ),
    db.query<{ address: string; kind: string }>('SELECT address, kind FROM directory_mailbox WHERE practitioner_id = $1 AND active ORDER BY address', [id]),
  ]);
  const personal = new Map([[id, mailboxes.filter((m) => m.kind === 'PER').map((m) => m.address)]]);
  return {
    id: p.id,
    idType: p.id_type,
    identifier: p.identifier,
    civility: civilityPrefix(p.practice_civility_code, p.civility_code) ?? null,
    family: p.family,
    given: p.given,
    active: p.active,
    situations: roles.map((r) => toItem(r, personal)),
    mailboxes: mailboxes.map((m) => m.address),
  };
}

export interface DirectoryOptions {
  /** TRE_G15 professions in use. */
  professions: { code: string; label: string }[];
  /** The savoir-faire seen by the last complete import of the activity file, with the profession they go with. */
  skills: { code: string; label: string | null; typeCode: string | null; typeLabel: string | null; professionCode?: string }[];
}

/** What a search form offers: the professions, and the specialties the directory holds. */
export async function directoryOptions(db: Queryable): Promise<DirectoryOptions> {
  const { rows } = await db.query<{ skills: DirectoryOptions['skills'] | null }>(
    `SELECT report->'skills' AS skills FROM directory_import
      WHERE kind = 'activities' AND status = 'done' ORDER BY finished_at DESC LIMIT 1`,
  );
  const skills = rows[0]?.skills ?? [];
  return {
    professions: PROFESSIONS.filter((p) => p.active).map((p) => ({ code: p.code, label: p.label })),
    skills: skills.map((s) => ({
      code: s.code,
      label: s.label,
      typeCode: s.typeCode,
      typeLabel: s.typeLabel,
      ...(s.professionCode ? { professionCode: s.professionCode } : {}),
    })),
  };
}
