/**
 * The matricule INS: a NIR or a NIA (15 characters with the key), read together with the OID of its
 * assigning authority. Rules: /work/shared/reference/domain.md §1.1 (NIA "built like a NIR") and §1.2 (OIDs).
 */
import { INS_OID, type InsOid } from './ins.js';
import { parseNir, type NirParseResult } from './nir.js';

const KNOWN_OIDS: ReadonlySet<string> = new Set(Object.values(INS_OID));

/**
 * The INS OID named by `oid`, given bare ("1.2.250.1.213.1.4.8") or as a FHIR system
 * ("urn:oid:1.2.250.1.213.1.4.8"); undefined for any other OID (legacy INS-A/INS-C included).
 */
export function toInsOid(oid: string): InsOid | undefined {
  const bare = oid.trim().replace(/^urn:oid:/i, '');
  return KNOWN_OIDS.has(bare) ? (bare as InsOid) : undefined;
}

/**
 * Parses a matricule INS under its OID: a NIR under INS-NIR (.8), INS-NIR-TEST (.10) or INS-NIR-DEMO (.11),
 * a NIA under INS-NIA (.9), in which case the result has `temporary: true`. The structure and the key are
 * checked the same way for both. `oid` may be bare or "urn:oid:…".
 */
export function parseMatricule(input: string, oid: string): NirParseResult {
  const insOid = toInsOid(oid);
  if (insOid === undefined) {
    return { ok: false, error: `OID ${oid} is not an INS OID (expected ${[...KNOWN_OIDS].join(', ')})` };
  }
  const temporary = insOid === INS_OID.NIA;
  const result = parseNir(input, { temporary });
  if (!result.ok && temporary) return { ok: false, error: result.error.replace(/^NIR/, 'NIA') };
  return result;
}
