/**
 * The public drug database's download files (BDPM, base-donnees-publique.medicaments.gouv.fr), as published:
 * tab-separated, no header line, Windows-1252, rows of CIS_CIP_bdpm.txt ending with a trailing tab
 * (reference-data.md §4, docs/reference-data.md). Parsing is strict: a row with the wrong number of columns, a
 * CIS that is not 8 digits or a CIP13 whose key is wrong rejects the whole file, naming the file and the line.
 */
import { cip13Problem, isCis } from './cip.js';

export const CIS_FILE = 'CIS_bdpm.txt';
export const CIS_CIP_FILE = 'CIS_CIP_bdpm.txt';
export type BdpmFileName = typeof CIS_FILE | typeof CIS_CIP_FILE;
export const BDPM_FILES: readonly BdpmFileName[] = [CIS_FILE, CIS_CIP_FILE];

/** A medicinal product (spécialité), one row of CIS_bdpm.txt. */
export interface BdpmProduct {
  cis: string;
  name: string;
  form: string;
  routes: string[];
  /** Statut administratif de l'AMM, e.g. 'Autorisation active'. */
  authorisationStatus: string;
  /** Type de procédure d'AMM, e.g. 'Procédure centralisée'. */
  procedure: string;
  /** Etat de commercialisation: 'Commercialisée'. */
  marketed: boolean;
  /** Date d'AMM, YYYY-MM-DD, or '' when absent. */
  authorisationDate: string;
  /** StatutBdm: 'Alerte', 'Warning disponibilité' or ''. */
  bdmStatus: string;
  euNumber: string;
  holders: string[];
  reinforcedMonitoring: boolean;
}

/** A presentation (box) of a product, one row of CIS_CIP_bdpm.txt. */
export interface BdpmPresentation {
  cis: string;
  cip7: string;
  label: string;
  /** Statut administratif de la présentation, e.g. 'Présentation active'. */
  status: string;
  /** Etat de commercialisation: 'Déclaration de commercialisation'. */
  marketed: boolean;
  /** Date de la déclaration, YYYY-MM-DD, or ''. */
  declarationDate: string;
  cip13: string;
  /** Agrément aux collectivités: 'oui', 'non', 'inconnu' or ''. */
  collectivities: string;
  /** Taux de remboursement, as written ('65%', '65 %'), several separated by ';'. */
  reimbursementRates: string[];
}

export class BdpmFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}, line ${line}: ${reason}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/**
 * The text of a BDPM file. The publisher's files are Windows-1252; a copy already converted to UTF-8 (valid
 * UTF-8 with non-ASCII characters, which French Windows-1252 text never is in practice) is read as UTF-8.
 */
export function decodeBdpm(bytes: Uint8Array): string {
  let text: string;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8.decode(bytes.subarray(3));
  try {
    text = utf8.decode(bytes);
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(text)) return text;
  } catch {
    // not UTF-8: the publisher's encoding
  }
  return cp1252.decode(bytes);
}

/** Encodes text as Windows-1252 (the publisher's encoding); throws on a character it cannot hold. */
export function encodeWindows1252(text: string): Uint8Array {
  const table = cp1252Table();
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) {
    const byte = table.get(ch);
    if (byte === undefined) throw new Error(`not representable in Windows-1252: ${JSON.stringify(ch)}`);
    out[n++] = byte;
  }
  return out.subarray(0, n);
}

let table: Map<string, number> | undefined;
function cp1252Table(): Map<string, number> {
  if (!table) {
    table = new Map();
    for (let b = 0; b < 256; b++) {
      const ch = cp1252.decode(new Uint8Array([b]));
      if (ch !== '\ufffd' && !table.has(ch)) table.set(ch, b);
    }
  }
  return table;
}

/** The rows of a file: split on tabs, without the line end; blank lines are skipped. */
function rows(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    out.push({ line: i + 1, fields: raw.split('\t') });
  }
  return out;
}

/** The row's columns: `count` of them, or `count + 1` when the last is the empty field of a trailing tab. */
function columns(file: string, line: number, fields: string[], count: number): string[] {
  if (fields.length === count + 1 && fields[count] === '') return fields.slice(0, count);
  if (fields.length !== count) throw new BdpmFormatError(file, line, `${fields.length} columns where ${count} are expected (is this ${file}?)`);
  return fields;
}

function date(file: string, line: number, value: string, column: string): string {
  const v = value.trim();
  if (v === '') return '';
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
  if (!m) throw new BdpmFormatError(file, line, `${column} is not a DD/MM/YYYY date: ${JSON.stringify(v)}`);
  const [, dd, mm, yyyy] = m;
  const d = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  if (d.getUTCDate() !== Number(dd) || d.getUTCMonth() !== Number(mm) - 1) throw new BdpmFormatError(file, line, `${column} is not a real date: ${v}`);
  return `${yyyy}-${mm}-${dd}`;
}

function list(value: string): string[] {
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parses CIS_bdpm.txt (12 columns). */
export function parseCisFile(text: string, file: string = CIS_FILE): BdpmProduct[] {
  const seen = new Set<string>();
  return rows(text).map(({ line, fields }) => {
    const c = columns(file, line, fields, 12);
    const cis = c[0]!.trim();
    if (!isCis(cis)) throw new BdpmFormatError(file, line, `the CIS code is not 8 digits: ${JSON.stringify(cis)}`);
    if (seen.has(cis)) throw new BdpmFormatError(file, line, `CIS ${cis} appears twice`);
    seen.add(cis);
    const name = c[1]!.trim();
    if (name === '') throw new BdpmFormatError(file, line, 'the name (column 2) is empty');
    const state = c[6]!.trim();
    if (state !== 'Commercialisée' && state !== 'Non commercialisée') {
      throw new BdpmFormatError(file, line, `column 7 must be 'Commercialisée' or 'Non commercialisée', not ${JSON.stringify(state)}`);
    }
    return {
      cis,
      name,
      form: c[2]!.trim(),
      routes: list(c[3]!),
      authorisationStatus: c[4]!.trim(),
      procedure: c[5]!.trim(),
      marketed: state === 'Commercialisée',
      authorisationDate: date(file, line, c[7]!, "the authorisation date (column 8)"),
      bdmStatus: c[8]!.trim(),
      euNumber: c[9]!.trim(),
      holders: list(c[10]!),
      reinforcedMonitoring: c[11]!.trim() === 'Oui',
    };
  });
}

/** Parses CIS_CIP_bdpm.txt (13 columns, a trailing tab). */
export function parseCisCipFile(text: string, file: string = CIS_CIP_FILE): BdpmPresentation[] {
  const seen = new Set<string>();
  return rows(text).map(({ line, fields }) => {
    const c = columns(file, line, fields, 13);
    const cis = c[0]!.trim();
    if (!isCis(cis)) throw new BdpmFormatError(file, line, `the CIS code is not 8 digits: ${JSON.stringify(cis)}`);
    const cip7 = c[1]!.trim();
    if (!/^\d{7}$/.test(cip7)) throw new BdpmFormatError(file, line, `the CIP7 code is not 7 digits: ${JSON.stringify(cip7)}`);
    const cip13 = c[6]!.trim();
    const problem = cip13Problem(cip13);
    if (problem === 'check-digit') throw new BdpmFormatError(file, line, `the CIP13 ${cip13} has a wrong check digit`);
    if (problem) throw new BdpmFormatError(file, line, `the CIP13 is not 13 digits starting with 34009: ${JSON.stringify(cip13)}`);
    if (seen.has(cip13)) throw new BdpmFormatError(file, line, `CIP13 ${cip13} appears twice`);
    seen.add(cip13);
    return {
      cis,
      cip7,
      label: c[2]!.trim(),
      status: c[3]!.trim(),
      marketed: c[4]!.trim() === 'Déclaration de commercialisation',
      declarationDate: date(file, line, c[5]!, 'the declaration date (column 6)'),
      cip13,
      collectivities: c[7]!.trim(),
      reimbursementRates: list(c[8]!),
    };
  });
}

/** A presentation whose product is not in the products: the files do not belong together. */
export function orphanPresentation(products: readonly { cis: string }[], presentations: readonly BdpmPresentation[]): BdpmPresentation | undefined {
  const known = new Set(products.map((p) => p.cis));
  return presentations.find((p) => !known.has(p.cis));
}
