import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../../errors.js';
import { parseJsonBody } from '../../fhir/json.js';
import { isSupportedType } from '../../fhir/resource-types.js';
import type { RequestContext } from '../../repo/index.js';
import type { FhirRouter } from '../fhir/router.js';

type Json = Record<string, unknown>;

/**
 * Bulk import: FHIR transaction (or batch) Bundles in .json files, posted in-process through the router as
 * the Bundles they are, and resources in .ndjson files, written by chunks of `chunk` resources with the
 * repository's bulk write (validated, access-checked and audited like any write, but one statement per
 * chunk rather than one per resource). An invalid NDJSON line is reported and left out; the rest of its
 * chunk is written.
 */
export interface ImportOptions {
  router: FhirRouter;
  ctx: RequestContext;
  /** Resources per transaction for NDJSON (default 500). */
  chunk?: number;
  onProgress?: (p: FileReport) => void;
}

export interface FileReport {
  file: string;
  imported: number;
  /** Entries left out because Carnet does not store their type, by type. */
  skipped: Record<string, number>;
  failed: { what: string; status: number; reason: string }[];
  seconds: number;
}

export interface ImportReport {
  files: FileReport[];
  imported: number;
  skipped: number;
  failed: number;
  seconds: number;
}

export function listImportFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  return fs
    .readdirSync(target)
    .filter((f) => f.endsWith('.json') || f.endsWith('.ndjson'))
    .sort()
    .map((f) => path.join(target, f));
}

export async function importPath(target: string, opts: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const files: FileReport[] = [];
  for (const file of listImportFiles(target)) {
    const report = file.endsWith('.ndjson') ? await importNdjson(file, opts) : await importJson(file, opts);
    files.push(report);
    opts.onProgress?.(report);
  }
  return {
    files,
    imported: files.reduce((n, f) => n + f.imported, 0),
    skipped: files.reduce((n, f) => n + Object.values(f.skipped).reduce((a, b) => a + b, 0), 0),
    failed: files.reduce((n, f) => n + f.failed.length, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

function newReport(file: string): FileReport {
  return { file, imported: 0, skipped: {}, failed: [], seconds: 0 };
}

/** Posts a Bundle through the router; counts what was written. */
async function post(bundle: Json, what: string, report: FileReport, opts: ImportOptions): Promise<void> {
  try {
    const res = await opts.router.handle({ method: 'POST', path: '/', query: new URLSearchParams(), body: bundle }, opts.ctx);
    const entries = ((res.body as Json).entry as Json[]) ?? [];
    for (const [i, e] of entries.entries()) {
      const status = Number((e.response as Json).status);
      if (status < 300) report.imported++;
      else {
        const outcome = (e.response as Json).outcome as { issue?: { diagnostics?: string }[] } | undefined;
        report.failed.push({ what: `${what} entry ${i}`, status, reason: outcome?.issue?.[0]?.diagnostics ?? 'failed' });
      }
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    report.failed.push({ what, status: err.status, reason: err.message });
  }
}

async function importJson(file: string, opts: ImportOptions): Promise<FileReport> {
  const t0 = performance.now();
  const report = newReport(file);
  let resource: Json;
  try {
    resource = parseJsonBody(fs.readFileSync(file, 'utf8')) as Json;
  } catch (err) {
    report.failed.push({ what: file, status: 400, reason: err instanceof AppError ? err.message : `not JSON: ${(err as Error).message}` });
    return report;
  }
  if (resource.resourceType === 'Bundle' && (resource.type === 'transaction' || resource.type === 'batch')) {
    await post(pruneUnsupported(resource, report.skipped), path.basename(file), report, opts);
  } else {
    await post(asTransaction([resource], report.skipped), path.basename(file), report, opts);
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

async function importNdjson(file: string, opts: ImportOptions): Promise<FileReport> {
  const t0 = performance.now();
  const report = newReport(file);
  const chunk = opts.chunk ?? 500;
  let batch: Json[] = [];
  let line = 0;
  let lineNumbers: number[] = [];
  // while the database writes one chunk, the next is read and prepared (validated, indexed): two cores at work
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const numbers = lineNumbers;
    const prepared = opts.router.repo.prepareImport(batch);
    batch = [];
    lineNumbers = [];
    await writing;
    writing = (async () => {
      try {
        const result = await opts.router.repo.run(opts.ctx, (ops) => ops.importResources(prepared));
        report.imported += result.written;
        for (const f of result.failed) {
          report.failed.push({ what: `${path.basename(file)} line ${numbers[f.index]}`, status: f.error.status, reason: f.error.message });
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        report.failed.push({ what: `${path.basename(file)} lines ${numbers[0]}-${numbers[numbers.length - 1]}`, status: err.status, reason: err.message });
      }
    })();
    writing.catch(() => undefined); // awaited at the next chunk or at the end, where its error surfaces
  };
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      const resource = parseJsonBody(text) as Json;
      if (typeof resource !== 'object' || resource === null || Array.isArray(resource) || typeof resource.resourceType !== 'string') {
        report.failed.push({ what: `${path.basename(file)} line ${line}`, status: 400, reason: 'not a FHIR resource (no resourceType)' });
        continue;
      }
      const type = resource.resourceType;
      if (!isSupportedType(type)) {
        report.skipped[type] = (report.skipped[type] ?? 0) + 1;
        continue;
      }
      batch.push(resource);
      lineNumbers.push(line);
    } catch (err) {
      report.failed.push({ what: `${path.basename(file)} line ${line}`, status: 400, reason: err instanceof AppError ? err.message : `not JSON: ${(err as Error).message}` });
      continue;
    }
    if (batch.length >= chunk) await flush();
  }
  await flush();
  await writing;
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

/** Resources as a transaction: PUT where they have an id (re-importing updates), POST otherwise. */
function asTransaction(resources: Json[], skipped: Record<string, number>): Json {
  const entry: Json[] = [];
  for (const r of resources) {
    const type = String(r.resourceType);
    if (!isSupportedType(type)) {
      skipped[type] = (skipped[type] ?? 0) + 1;
      continue;
    }
    entry.push({ resource: r, request: typeof r.id === 'string' ? { method: 'PUT', url: `${type}/${r.id}` } : { method: 'POST', url: type } });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/**
 * Leaves out the entries of types Carnet does not store (Claim, ExplanationOfBenefit... in Synthea exports) and the
 * references to them, which would otherwise point nowhere.
 */
export function pruneUnsupported(bundle: Json, skipped: Record<string, number>): Json {
  const dropped = new Set<string>();
  const kept: Json[] = [];
  for (const e of (bundle.entry as Json[] | undefined) ?? []) {
    const type = String((e.resource as Json | undefined)?.resourceType ?? String((e.request as Json | undefined)?.url ?? '').split(/[/?]/)[0]);
    if (isSupportedType(type)) {
      kept.push(e);
      continue;
    }
    skipped[type] = (skipped[type] ?? 0) + 1;
    if (typeof e.fullUrl === 'string') dropped.add(e.fullUrl);
    const id = (e.resource as Json | undefined)?.id;
    if (typeof id === 'string') dropped.add(`${type}/${id}`);
  }
  return { ...bundle, entry: kept.map((e) => (e.resource ? { ...e, resource: withoutReferencesTo(e.resource, dropped) } : e)) };
}

/** Marks what is left empty once a reference is removed, so that its container goes too. */
const EMPTY = Symbol('empty');

function withoutReferencesTo(value: unknown, dropped: Set<string>): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => withoutReferencesTo(v, dropped)).filter((v) => v !== EMPTY);
    return items.length === 0 && value.length > 0 ? EMPTY : items;
  }
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as Json).reference === 'string' && dropped.has((value as Json).reference as string)) return EMPTY;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const cleaned = withoutReferencesTo(v, dropped);
    if (cleaned !== EMPTY) out[k] = cleaned;
  }
  return Object.keys(out).length === 0 && Object.keys(value).length > 0 ? EMPTY : out;
}
