import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/index.js';
import {
  createLineReader,
  mapActivityLine,
  mapMailboxLine,
  parseDirectoryHeader,
  type ActivityColumns,
  type DirectoryFileKind,
  type MailboxColumns,
  type MailboxRecord,
  type OrganizationRecord,
  type PractitionerRecord,
  type RoleRecord,
} from '../../domain/directory/index.js';
import { AppError } from '../../errors.js';
import { uuidv7 } from '../ids.js';

/**
 * Loading the national directory from the Annuaire Santé open-data extracts (docs/directory.md): the
 * activity file (PS_LibreAcces_Personne_activite: professionals, structures, practice situations) or the
 * MSSanté mailboxes (Extraction_Correspondance_MSSante), told apart by their header.
 *
 * Built for the national file (about 2 million lines): lines are read and validated in Node while the
 * database writes the previous batch; each batch of 5,000 lines is one statement (set-based upserts of the
 * batch's rows, sent as text, with `ON CONFLICT ... DO UPDATE ... WHERE ... IS DISTINCT FROM`; rows equal to
 * the stored ones are not written at all). A full extract then deactivates what it no longer lists: the ids of the roles (or
 * mailboxes) it listed go to directory_seen, and professionals and structures left without an active role
 * are deactivated with them. Re-importing the same file changes nothing.
 */
export interface DirectoryDeps {
  db: Db;
  clock?: { now(): Date };
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
}

export interface DirectoryImportProgress {
  /** Data lines read so far. */
  lines: number;
  rejected: number;
  /** Roles (or mailboxes) written or found unchanged so far. */
  written: number;
}

export interface DirectoryImportOptions {
  /** Expected kind of file; by default told from the header. */
  kind?: DirectoryFileKind;
  /**
   * The file is a full national snapshot (default): afterwards, every active professional, structure and
   * role (or mailbox) it did not list is deactivated. With false, nothing is deactivated.
   */
  full?: boolean;
  /**
   * A full import that would deactivate more than half of what is active (a truncated or partial file taken
   * for the national one) deactivates nothing unless forced; the report says so.
   */
  force?: boolean;
  /** Recorded with the import; the file's base name by default. */
  fileName?: string;
  onProgress?: (p: DirectoryImportProgress) => void;
  /** Lines per batch (default 5,000). */
  batchSize?: number;
}

export interface DirectoryImportReport {
  importId: string;
  kind: DirectoryFileKind;
  fileName: string;
  full: boolean;
  /** Data lines read (blank lines not counted). */
  lines: number;
  practitioners?: Counts;
  organizations?: Counts;
  roles?: Counts;
  mailboxes?: Counts;
  /** Lines that repeat a role (or mailbox) already listed in the same batch: loaded once. */
  duplicates: number;
  rejected: number;
  /** The first rejected lines (1-based, the header is line 1), with the reason. */
  firstRejections: { line: number; reason: string }[];
  /** The professions (TRE_G15) and savoir-faire seen in an activity file, for search forms. */
  professions?: { code: string; label: string }[];
  /** With the profession of the first line that had each. */
  skills?: { typeCode: string | null; typeLabel: string | null; code: string; label: string | null; professionCode: string }[];
  /** Set when a full import deactivated nothing because the file lists too little of the directory (see `force`). */
  deactivationSkipped?: string;
  seconds: number;
}

const BATCH = 5000;
const MAX_REJECTIONS = 1000;
/** A larger change than this and the tables' statistics are refreshed, so searches keep good plans. */
const ANALYZE_AFTER = 10_000;

type Source = string | AsyncIterable<string | Uint8Array> | Iterable<string>;

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, deactivated: 0 });

export async function importDirectory(deps: DirectoryDeps, source: Source, opts: DirectoryImportOptions = {}): Promise<DirectoryImportReport> {
  const started = Date.now();
  const now = () => deps.clock?.now() ?? new Date();
  const full = opts.full ?? true;
  const batchSize = opts.batchSize ?? BATCH;
  const fileName = opts.fileName ?? (typeof source === 'string' ? path.basename(source) : 'directory.txt');
  const input: AsyncIterable<string | Uint8Array> | Iterable<string> =
    typeof source === 'string' ? fs.createReadStream(source, { highWaterMark: 1 << 20 }) : source;

  const reader = createLineReader();
  const decoder = new TextDecoder('utf-8');
  let lineNo = 0;
  let importId: string | undefined;
  let writer: BatchWriter | undefined;
  const rejections: { line: number; reason: string }[] = [];
  const progress: DirectoryImportProgress = { lines: 0, rejected: 0, written: 0 };
  const reject = (line: number, reason: string) => {
    progress.rejected++;
    if (rejections.length < MAX_REJECTIONS) rejections.push({ line, reason });
  };

  const take = async (lines: string[]) => {
    for (const line of lines) {
      lineNo++;
      if (!writer) {
        if (line.trim() === '') continue;
        const header = parseDirectoryHeader(line, opts.kind);
        if (!header.ok) throw new AppError(400, 'invalid', `Line ${lineNo}: ${header.error}`).withCode('directory.bad-header');
        importId = uuidv7();
        await deps.db.query(
          `INSERT INTO directory_import (id, kind, file_name, started_at, status) VALUES ($1, $2, $3, $4, 'running')`,
          [importId, header.kind, fileName, now()],
        );
        writer =
          header.kind === 'activities'
            ? new ActivityWriter(deps.db, importId, full, header.columns, now, batchSize)
            : new MailboxWriter(deps.db, importId, full, header.columns, now, batchSize);
        writer.onBatch = (written) => {
          progress.written += written;
          opts.onProgress?.({ ...progress });
        };
        continue;
      }
      if (line === '' || line.trim() === '') continue;
      progress.lines++;
      const reason = writer.add(line);
      if (reason !== undefined) reject(lineNo, reason);
      if (writer.full()) await writer.flush();
    }
  };

  try {
    for await (const chunk of input) await take(reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
    await take(reader.push(decoder.decode()));
    await take(reader.end());
    if (!writer) throw new AppError(400, 'invalid', 'The file is empty: a header line is required').withCode('directory.empty');
    await writer.flush();
    await writer.drain();
    // a full snapshot that lists less than half of what is active is more likely a wrong file than a directory
    // that lost half its professionals: nothing is deactivated unless forced
    const { listed, active } = await writer.listedAndActive();
    const unlisted = active - listed;
    const deactivationSkipped =
      full && !opts.force && unlisted > active / 2
        ? `The file lists ${listed} of the ${active} active ${writer.kind === 'activities' ? 'practice situations' : 'mailboxes'}: deactivating the other ${unlisted} needs --force`
        : undefined;
    const deactivated = full && !deactivationSkipped ? await writer.deactivate() : undefined;
    await writer.analyze(deactivated);
    const w = writer;
    const report: DirectoryImportReport = {
      importId: importId!,
      kind: w.kind,
      fileName,
      full,
      lines: progress.lines,
      ...w.counts(deactivated),
      duplicates: w.duplicates,
      rejected: progress.rejected,
      firstRejections: rejections,
      ...w.seen(),
      ...(deactivationSkipped ? { deactivationSkipped } : {}),
      seconds: (Date.now() - started) / 1000,
    };
    await deps.db.query(`UPDATE directory_import SET status = 'done', finished_at = $2, report = $3 WHERE id = $1`, [importId, now(), JSON.stringify(report)]);
    return report;
  } catch (err) {
    await writer?.drain().catch(() => undefined);
    if (importId) {
      const message = err instanceof Error ? err.message : String(err);
      await deps.db
        .query(`UPDATE directory_import SET status = 'failed', finished_at = $2, report = $3 WHERE id = $1`, [importId, now(), JSON.stringify({ error: message, lines: progress.lines })])
        .catch(() => undefined);
    }
    throw err;
  }
}

/** Accumulates valid lines into batches, writes one batch while the next is read, and counts. */
abstract class BatchWriter {
  abstract readonly kind: DirectoryFileKind;
  onBatch?: (written: number) => void;
  duplicates = 0;
  protected lines = 0;
  /** The batch being written, observed at the next flush or drain. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    protected readonly db: Db,
    protected readonly importId: string,
    protected readonly fullSnapshot: boolean,
    protected readonly now: () => Date,
    private readonly batchSize: number,
  ) {}

  /** Validates and keeps a line; returns the reason when it is rejected. */
  abstract add(line: string): string | undefined;
  protected abstract take(): () => Promise<number>;
  abstract deactivate(): Promise<Record<string, number>>;
  /** Distinct roles (or mailboxes) this file listed, and how many are active now (those included). */
  abstract listedAndActive(): Promise<{ listed: number; active: number }>;
  /** Refreshes the statistics of the tables after a large change. */
  abstract analyze(deactivated: Record<string, number> | undefined): Promise<void>;
  abstract counts(deactivated: Record<string, number> | undefined): Partial<DirectoryImportReport>;
  seen(): Partial<DirectoryImportReport> {
    return {};
  }

  full(): boolean {
    return this.lines >= this.batchSize;
  }

  async flush(): Promise<void> {
    if (this.lines === 0) return;
    const write = this.take();
    this.lines = 0;
    await this.pending;
    this.pending = write().then((n) => this.onBatch?.(n));
    this.pending.catch(() => undefined); // observed at the next await
  }

  async drain(): Promise<void> {
    await this.pending;
  }

  /** Deactivates in one transaction, then forgets the ids this import saw. */
  protected async inTransaction(statements: { key: string; sql: string; params: unknown[] }[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    await this.db.transaction(async (tx) => {
      for (const s of statements) out[s.key] = (await tx.query(s.sql, s.params)).rowCount ?? 0;
      await tx.query('DELETE FROM directory_seen WHERE import_id = $1', [this.importId]);
    });
    return out;
  }

  protected async analyzeIfLarge(changed: number, tables: string[]): Promise<void> {
    if (changed > ANALYZE_AFTER) await this.db.query(`ANALYZE ${tables.join(', ')}`);
  }
}

/**
 * How a column travels: the rows of a batch are sent as one text parameter, a row per line and the fields
 * separated by '|' (neither can occur in a field: both come from splitting the file on them), and split
 * again by the database (`string_to_array`), which costs far less on both sides than one array parameter
 * per column. An empty field arrives as NULL; `notNull` columns take '' instead.
 */
interface Field<T> {
  readonly name: string;
  readonly get: (row: T) => string | null;
  readonly notNull?: boolean;
  /** The address lines, joined by ADDRESS_SEPARATOR, arrive as text[]. */
  readonly lines?: boolean;
}

const ADDRESS_SEPARATOR = '\x1e';

const PRACTITIONER_FIELDS: Field<PractitionerRecord>[] = [
  { name: 'id', get: (r) => r.id },
  { name: 'id_type', get: (r) => r.idType },
  { name: 'identifier', get: (r) => r.identifier },
  { name: 'civility_code', get: (r) => r.civilityCode },
  { name: 'practice_civility_code', get: (r) => r.practiceCivilityCode },
  { name: 'family', get: (r) => r.family, notNull: true },
  { name: 'given', get: (r) => r.given, notNull: true },
];

const ORGANIZATION_FIELDS: Field<OrganizationRecord>[] = [
  { name: 'id', get: (r) => r.id },
  { name: 'siret', get: (r) => r.siret },
  { name: 'siren', get: (r) => r.siren },
  { name: 'finess_site', get: (r) => r.finessSite },
  { name: 'finess_ej', get: (r) => r.finessEj },
  { name: 'name', get: (r) => r.name, notNull: true },
  { name: 'trade_name', get: (r) => r.tradeName },
  { name: 'address_lines', get: (r) => r.addressLines.join(ADDRESS_SEPARATOR), lines: true },
  { name: 'postal_code', get: (r) => r.postalCode },
  { name: 'city_code', get: (r) => r.cityCode },
  { name: 'city', get: (r) => r.city },
  { name: 'country_code', get: (r) => r.countryCode },
  { name: 'phone', get: (r) => r.phone },
  { name: 'email', get: (r) => r.email },
  { name: 'department_code', get: (r) => r.departmentCode },
  { name: 'sector_code', get: (r) => r.sectorCode },
  { name: 'sector_label', get: (r) => r.sectorLabel },
];

const ROLE_FIELDS: Field<RoleRecord>[] = [
  { name: 'id', get: (r) => r.id },
  { name: 'practitioner_id', get: (r) => r.practitionerId },
  { name: 'organization_id', get: (r) => r.organizationId },
  { name: 'profession_code', get: (r) => r.professionCode },
  { name: 'profession_label', get: (r) => r.professionLabel },
  { name: 'category_code', get: (r) => r.categoryCode },
  { name: 'category_label', get: (r) => r.categoryLabel },
  { name: 'skill_type_code', get: (r) => r.skillTypeCode },
  { name: 'skill_type_label', get: (r) => r.skillTypeLabel },
  { name: 'skill_code', get: (r) => r.skillCode },
  { name: 'skill_label', get: (r) => r.skillLabel },
  { name: 'mode_code', get: (r) => r.modeCode },
  { name: 'mode_label', get: (r) => r.modeLabel },
  { name: 'sector_code', get: (r) => r.sectorCode },
  { name: 'sector_label', get: (r) => r.sectorLabel },
  { name: 'pharmacist_section_code', get: (r) => r.pharmacistSectionCode },
  { name: 'pharmacist_section_label', get: (r) => r.pharmacistSectionLabel },
  { name: 'role_code', get: (r) => r.roleCode },
  { name: 'role_label', get: (r) => r.roleLabel },
  { name: 'genre_code', get: (r) => r.genreCode },
  { name: 'genre_label', get: (r) => r.genreLabel },
  { name: 'registration_authority', get: (r) => r.registrationAuthority },
  { name: 'family_key', get: (r) => r.familyKey, notNull: true },
  { name: 'given_key', get: (r) => r.givenKey, notNull: true },
  { name: 'city_key', get: (r) => r.cityKey, notNull: true },
  { name: 'postal_code', get: (r) => r.postalCode },
];

const MAILBOX_FIELDS: Field<MailboxRecord>[] = [
  { name: 'address', get: (r) => r.address },
  { name: 'kind', get: (r) => r.kind },
  { name: 'practitioner_id', get: (r) => r.practitionerId },
  { name: 'organization_id_type', get: (r) => r.organizationIdType },
  { name: 'organization_id', get: (r) => r.organizationId },
  { name: 'service', get: (r) => r.service },
  { name: 'profession_code', get: (r) => r.professionCode },
  { name: 'skill_code', get: (r) => r.skillCode },
  { name: 'dematerialisation', get: (r) => r.dematerialisation },
  { name: 'organization_name', get: (r) => r.organizationName },
  { name: 'postal_code', get: (r) => r.postalCode },
  { name: 'city_line', get: (r) => r.cityLine },
];

/** The rows of a batch as one text: a row per line, fields separated by '|', null as an empty field. */
function encode<T>(rows: readonly T[], fields: readonly Field<T>[]): string {
  const out = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let line = '';
    for (let c = 0; c < fields.length; c++) {
      if (c > 0) line += '|';
      const v = fields[c]!.get(row);
      if (v !== null) line += v;
    }
    out[i] = line;
  }
  return out.join('\n');
}

/** The rows of an encoded parameter as a relation with the table's column names. */
function decode(fields: readonly Field<unknown>[], param: string): string {
  const columns = fields.map((f, i) => {
    const v = `s.f[${i + 1}]`;
    const expr = f.lines ? `coalesce(string_to_array(${v}, chr(30)), '{}')` : f.notNull ? `coalesce(${v}, '')` : v;
    return `${expr} AS ${f.name}`;
  });
  // OFFSET 0 keeps the inner query apart, so that each line is split once rather than once per column
  return `SELECT ${columns.join(', ')} FROM (SELECT string_to_array(line, '|', '') AS f FROM unnest(string_to_array(${param}::text, chr(10))) AS line OFFSET 0) s`;
}

/**
 * `INSERT ... SELECT ... ON CONFLICT DO UPDATE ... WHERE ... IS DISTINCT FROM ...` for one table from a CTE
 * of its rows, returning whether each written row was created. Rows equal to the stored ones (and active)
 * are not written and not returned.
 */
function upsert(table: string, key: string, fields: readonly Field<never>[], from: string, nowParam: string): string {
  const names = fields.map((f) => f.name);
  const others = names.filter((n) => n !== key);
  // rows equal to the stored ones are left out before the insert: ON CONFLICT would lock (write) each of them
  // even when its WHERE then skips the update, which made a re-import cost almost as much as a first import.
  // A scalar subquery, not NOT EXISTS: it stays one primary-key probe per row, whereas an anti-join may be
  // planned as a scan of the whole table per batch (with the statistics of a table still filling up)
  return `INSERT INTO ${table} AS t (${names.join(', ')}, active, updated_at)
      SELECT ${names.map((n) => `s.${n}`).join(', ')}, true, ${nowParam} FROM ${from} AS s
       WHERE NOT coalesce((SELECT c.active AND (${others.map((n) => `c.${n}`).join(', ')}) IS NOT DISTINCT FROM (${others.map((n) => `s.${n}`).join(', ')})
                             FROM ${table} c WHERE c.${key} = s.${key}), false)
      ON CONFLICT (${key}) DO UPDATE SET ${others.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}, active = true, updated_at = EXCLUDED.updated_at
      WHERE (${others.map((n) => `t.${n}`).join(', ')}, t.active) IS DISTINCT FROM (${others.map((n) => `EXCLUDED.${n}`).join(', ')}, true)
      RETURNING (t.xmax = 0) AS created`;
}

const counted = (cte: string) =>
  `(SELECT count(*) FILTER (WHERE created) FROM ${cte})::int AS ${cte}_created, (SELECT count(*) FILTER (WHERE NOT created) FROM ${cte})::int AS ${cte}_updated`;

/**
 * One batch of the activity file in one statement: the professionals and structures not yet written by this
 * import, the roles, and (for a full snapshot) the roles' ids in directory_seen.
 */
const ACTIVITY_SQL = `WITH
    pi AS (${decode(PRACTITIONER_FIELDS as Field<unknown>[], '$1')}),
    oi AS (${decode(ORGANIZATION_FIELDS as Field<unknown>[], '$2')}),
    ri AS (${decode(ROLE_FIELDS as Field<unknown>[], '$3')}),
    pr AS (${upsert('directory_practitioner', 'id', PRACTITIONER_FIELDS as Field<never>[], 'pi', '$4::timestamptz')}),
    og AS (${upsert('directory_organization', 'id', ORGANIZATION_FIELDS as Field<never>[], 'oi', '$4::timestamptz')}),
    sn AS (INSERT INTO directory_seen (import_id, kind, id) SELECT $5::uuid, 'role', id FROM ri WHERE $6::boolean),
    ro AS (${upsert('directory_role', 'id', ROLE_FIELDS as Field<never>[], 'ri', '$4::timestamptz')})
    SELECT ${counted('pr')}, ${counted('og')}, ${counted('ro')}`;

const MAILBOX_SQL = `WITH
    mi AS (${decode(MAILBOX_FIELDS as Field<unknown>[], '$1')}),
    sn AS (INSERT INTO directory_seen (import_id, kind, id) SELECT $3::uuid, 'mailbox', address FROM mi WHERE $4::boolean),
    mb AS (${upsert('directory_mailbox', 'address', MAILBOX_FIELDS as Field<never>[], 'mi', '$2::timestamptz')})
    SELECT ${counted('mb')}`;

class ActivityWriter extends BatchWriter {
  readonly kind = 'activities' as const;
  private practitioners: PractitionerRecord[] = [];
  private organizations: OrganizationRecord[] = [];
  private roles: RoleRecord[] = [];
  private roleIds = new Set<string>();
  /**
   * Professionals and structures already sent by this import: only their first line is written (the lines
   * of a structure are spread over the whole file, and would otherwise be upserted in every batch).
   */
  private readonly sentPractitioners = new Set<string>();
  private readonly sentOrganizations = new Set<string>();
  private readonly practitionerCounts = zero();
  private readonly organizationCounts = zero();
  private readonly roleCounts = zero();
  private readonly professions = new Map<string, string>();
  private readonly skills = new Map<string, NonNullable<DirectoryImportReport['skills']>[number]>();

  constructor(db: Db, importId: string, full: boolean, private readonly columns: ActivityColumns, now: () => Date, batchSize: number) {
    super(db, importId, full, now, batchSize);
  }

  add(line: string): string | undefined {
    const r = mapActivityLine(line, this.columns);
    if (!r.ok) return r.reason;
    this.lines++;
    const role = r.role;
    if (this.roleIds.has(role.id)) {
      this.duplicates++;
      return undefined;
    }
    this.roleIds.add(role.id);
    this.roles.push(role);
    if (!this.sentPractitioners.has(r.practitioner.id)) {
      this.sentPractitioners.add(r.practitioner.id);
      this.practitioners.push(r.practitioner);
    }
    if (r.organization && !this.sentOrganizations.has(r.organization.id)) {
      this.sentOrganizations.add(r.organization.id);
      this.organizations.push(r.organization);
    }
    if (!this.professions.has(role.professionCode)) this.professions.set(role.professionCode, role.professionLabel ?? '');
    if (role.skillCode && !this.skills.has(`${role.skillTypeCode}|${role.skillCode}`)) {
      this.skills.set(`${role.skillTypeCode}|${role.skillCode}`, {
        typeCode: role.skillTypeCode,
        typeLabel: role.skillTypeLabel,
        code: role.skillCode,
        label: role.skillLabel,
        professionCode: role.professionCode,
      });
    }
    return undefined;
  }

  protected take(): () => Promise<number> {
    const practitioners = this.practitioners;
    const organizations = this.organizations;
    const roles = this.roles;
    this.practitioners = [];
    this.organizations = [];
    this.roles = [];
    this.roleIds = new Set();
    // the parameters are built now, while the previous batch is still in the database
    const params = [
      encode(practitioners, PRACTITIONER_FIELDS),
      encode(organizations, ORGANIZATION_FIELDS),
      encode(roles, ROLE_FIELDS),
      this.now(),
      this.importId,
      this.fullSnapshot,
    ];
    return async () => {
      const { rows } = await this.db.query<Record<string, number>>(ACTIVITY_SQL, params);
      const c = rows[0]!;
      tally(this.practitionerCounts, practitioners.length, Number(c.pr_created), Number(c.pr_updated));
      tally(this.organizationCounts, organizations.length, Number(c.og_created), Number(c.og_updated));
      tally(this.roleCounts, roles.length, Number(c.ro_created), Number(c.ro_updated));
      return roles.length;
    };
  }

  async listedAndActive(): Promise<{ listed: number; active: number }> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM directory_role WHERE active');
    const c = this.roleCounts;
    return { listed: c.created + c.updated + c.unchanged, active: rows[0]!.n };
  }

  async deactivate(): Promise<Record<string, number>> {
    const now = this.now();
    // professionals and structures listed by the file have an active role: the others are deactivated with
    // the roles the file no longer lists
    return this.inTransaction([
      {
        key: 'roles',
        sql: `UPDATE directory_role AS r SET active = false, updated_at = $2 WHERE r.active
                AND NOT EXISTS (SELECT 1 FROM directory_seen s WHERE s.import_id = $1 AND s.kind = 'role' AND s.id = r.id)`,
        params: [this.importId, now],
      },
      {
        key: 'practitioners',
        sql: `UPDATE directory_practitioner AS p SET active = false, updated_at = $1 WHERE p.active
                AND NOT EXISTS (SELECT 1 FROM directory_role r WHERE r.practitioner_id = p.id AND r.active)`,
        params: [now],
      },
      {
        key: 'organizations',
        sql: `UPDATE directory_organization AS o SET active = false, updated_at = $1 WHERE o.active
                AND NOT EXISTS (SELECT 1 FROM directory_role r WHERE r.organization_id = o.id AND r.active)`,
        params: [now],
      },
    ]);
  }

  counts(deactivated: Record<string, number> | undefined): Partial<DirectoryImportReport> {
    this.practitionerCounts.deactivated = deactivated?.practitioners ?? 0;
    this.organizationCounts.deactivated = deactivated?.organizations ?? 0;
    this.roleCounts.deactivated = deactivated?.roles ?? 0;
    return { practitioners: this.practitionerCounts, organizations: this.organizationCounts, roles: this.roleCounts };
  }

  override seen(): Partial<DirectoryImportReport> {
    const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
    return {
      professions: [...this.professions].map(([code, label]) => ({ code, label })).sort(byCode),
      skills: [...this.skills.values()].sort(byCode),
    };
  }

  async analyze(deactivated: Record<string, number> | undefined): Promise<void> {
    const c = this.roleCounts;
    await this.analyzeIfLarge(c.created + c.updated + (deactivated?.roles ?? 0), ['directory_role', 'directory_practitioner', 'directory_organization']);
  }
}

class MailboxWriter extends BatchWriter {
  readonly kind = 'mailboxes' as const;
  private mailboxes: MailboxRecord[] = [];
  private addresses = new Set<string>();
  private readonly mailboxCounts = zero();

  constructor(db: Db, importId: string, full: boolean, private readonly columns: MailboxColumns, now: () => Date, batchSize: number) {
    super(db, importId, full, now, batchSize);
  }

  add(line: string): string | undefined {
    const r = mapMailboxLine(line, this.columns);
    if (!r.ok) return r.reason;
    this.lines++;
    // about 170 addresses of the national file are on several lines: the first one is kept
    if (this.addresses.has(r.mailbox.address)) {
      this.duplicates++;
      return undefined;
    }
    this.addresses.add(r.mailbox.address);
    this.mailboxes.push(r.mailbox);
    return undefined;
  }

  protected take(): () => Promise<number> {
    const mailboxes = this.mailboxes;
    this.mailboxes = [];
    this.addresses = new Set();
    const params = [encode(mailboxes, MAILBOX_FIELDS), this.now(), this.importId, this.fullSnapshot];
    return async () => {
      const { rows } = await this.db.query<Record<string, number>>(MAILBOX_SQL, params);
      const c = rows[0]!;
      tally(this.mailboxCounts, mailboxes.length, Number(c.mb_created), Number(c.mb_updated));
      return mailboxes.length;
    };
  }

  async listedAndActive(): Promise<{ listed: number; active: number }> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM directory_mailbox WHERE active');
    const c = this.mailboxCounts;
    return { listed: c.created + c.updated + c.unchanged, active: rows[0]!.n };
  }

  async deactivate(): Promise<Record<string, number>> {
    return this.inTransaction([
      {
        key: 'mailboxes',
        sql: `UPDATE directory_mailbox AS m SET active = false, updated_at = $2 WHERE m.active
                AND NOT EXISTS (SELECT 1 FROM directory_seen s WHERE s.import_id = $1 AND s.kind = 'mailbox' AND s.id = m.address)`,
        params: [this.importId, this.now()],
      },
    ]);
  }

  counts(deactivated: Record<string, number> | undefined): Partial<DirectoryImportReport> {
    this.mailboxCounts.deactivated = deactivated?.mailboxes ?? 0;
    return { mailboxes: this.mailboxCounts };
  }

  async analyze(deactivated: Record<string, number> | undefined): Promise<void> {
    const c = this.mailboxCounts;
    await this.analyzeIfLarge(c.created + c.updated + (deactivated?.mailboxes ?? 0), ['directory_mailbox']);
  }
}

function tally(c: Counts, sent: number, created: number, updated: number): void {
  c.created += created;
  c.updated += updated;
  c.unchanged += sent - created - updated;
}

/** The imports, newest first. */
export async function listDirectoryImports(db: Db, limit = 20): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query<Record<string, unknown> & { startedAt: Date | string; finishedAt: Date | string | null }>(
    `SELECT id, kind, file_name AS "fileName", started_at AS "startedAt", finished_at AS "finishedAt", status, report
       FROM directory_import ORDER BY started_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, startedAt: new Date(r.startedAt).toISOString(), finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString() }));
}
