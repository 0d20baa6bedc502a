/**
 * The MSSanté headers of the Référentiel socle #2 (domain.md §3.5): X-MSS-MES, X-MSS-INS, X-MSS-CODECDA
 * and X-MSS-NIL. Pure parsing and writing; an invalid value is reported, not guessed.
 */
export interface MssHeaders {
  /** X-MSS-MES: FIN, the professional ends the conversation: the patient can no longer reply. */
  ends: boolean;
  /** X-MSS-INS: O when a qualified INS is in the enclosed CDA, N when not; undefined when absent. */
  qualifiedIns?: boolean;
  /** X-MSS-CODECDA: the CDA documents' type codes (LOINC), in order. */
  cdaCodes: string[];
  /** X-MSS-NIL: the sending software's référence produit. */
  nil?: string;
  /** What was wrong with the headers (the message is still accepted; the problems are logged). */
  problems: string[];
}

const CODE = /^[A-Za-z0-9.\-_:]{1,64}$/;

/** Reads the headers from a lower-cased name → value(s) map, such as mailparser's `headers`. */
export function readMssHeaders(get: (name: string) => string | undefined): MssHeaders {
  const problems: string[] = [];
  const mes = get('x-mss-mes')?.trim();
  if (mes !== undefined && mes.toUpperCase() !== 'FIN') problems.push(`X-MSS-MES: ${JSON.stringify(mes.slice(0, 40))} is not FIN`);
  const ins = get('x-mss-ins')?.trim().toUpperCase();
  if (ins !== undefined && ins !== 'O' && ins !== 'N') problems.push('X-MSS-INS is O or N');
  const codes = (get('x-mss-codecda') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const bad = codes.filter((c) => !CODE.test(c));
  if (bad.length) problems.push(`X-MSS-CODECDA holds invalid codes: ${bad.slice(0, 3).join(', ')}`);
  const nil = get('x-mss-nil')?.trim();
  return {
    ends: mes?.toUpperCase() === 'FIN',
    ...(ins === 'O' || ins === 'N' ? { qualifiedIns: ins === 'O' } : {}),
    cdaCodes: codes.filter((c) => CODE.test(c)),
    ...(nil ? { nil: nil.slice(0, 200) } : {}),
    problems,
  };
}

/** The headers of a message Carnet sends for a patient or a professional. */
export function writeMssHeaders(h: { ends?: boolean; qualifiedIns?: boolean; cdaCodes?: readonly string[]; nil: string }): Record<string, string> {
  return {
    'X-MSS-NIL': h.nil,
    ...(h.ends ? { 'X-MSS-MES': 'FIN' } : {}),
    ...(h.cdaCodes && h.cdaCodes.length ? { 'X-MSS-CODECDA': h.cdaCodes.join(','), 'X-MSS-INS': h.qualifiedIns ? 'O' : 'N' } : {}),
  };
}
