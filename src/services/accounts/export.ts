import { zipSync, strToU8 } from 'fflate';
import { SUPPORTED_TYPES } from '../../fhir/resource-types.js';
import { encodeSearchCursor } from '../../fhir/search/paging.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { RequestContext } from '../../repo/index.js';
import type { AccountsDeps } from './context.js';

/**
 * "Download my data": the whole record of the acting profile as a zip holding `bundle.json` (a FHIR
 * collection Bundle of every resource, the access history included) and `binaries/` (the content of each
 * Binary, decoded). Everything is read through the repository with the caller's context, so the reads are
 * access-checked and audited like any other.
 */
const PAGE = 500;

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tiff',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/rtf': 'rtf',
};

export async function exportRecord(deps: AccountsDeps, ctx: RequestContext): Promise<Uint8Array> {
  const entries: { fullUrl: string; resource: Record<string, unknown> }[] = [];
  const files: Record<string, Uint8Array> = {};
  const fhirBase = `${deps.config.baseUrl}/fhir`;
  for (const type of SUPPORTED_TYPES) {
    if (type === 'Bundle') continue;
    let cursor: string | undefined;
    for (;;) {
      const params = new URLSearchParams({ _count: String(PAGE) });
      if (cursor) params.set('_cursor', cursor);
      const search = parseSearch(type, params, { defaultCount: PAGE, maxCount: PAGE, strict: true, fhirBase });
      const result = await deps.repo.search(ctx, type, search);
      for (const v of result.versions) {
        if (!v.content || v.patientId === null) continue;
        const resource = JSON.parse(v.content) as Record<string, unknown>;
        entries.push({ fullUrl: `${fhirBase}/${type}/${v.id}`, resource });
        if (type === 'Binary' && typeof resource.data === 'string') {
          const ext = EXTENSIONS[String(resource.contentType)] ?? 'bin';
          files[`binaries/${v.id}.${ext}`] = Buffer.from(resource.data, 'base64');
        }
      }
      if (!result.next || result.versions.length === 0) break;
      cursor = encodeSearchCursor(result.next);
    }
  }
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: deps.clock.now().toISOString(),
    total: entries.length,
    entry: entries,
  };
  files['bundle.json'] = strToU8(JSON.stringify(bundle, null, 2));
  files['LISEZMOI.txt'] = strToU8(
    'Copie de vos données Carnet.\n\nbundle.json : toutes les données de votre profil au format FHIR R4 (Bundle de type collection),\n' +
      "y compris l'historique des accès (AuditEvent).\nbinaries/ : le contenu de vos documents.\n",
  );
  return zipSync(files, { level: 6 });
}
