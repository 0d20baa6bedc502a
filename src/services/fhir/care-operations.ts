import { scopesAllow, type ScopeAction } from '../../domain/access/scopes.js';
import { badRequest, forbidden } from '../../errors.js';
import type { Repository, RequestContext } from '../../repo/index.js';
import { accessStatusByIns, declareAccess, type AccessAnswer } from '../care/access.js';
import type { FhirRequest, FhirResponse } from './router.js';

/**
 * The professionals' FHIR operations on patient access (docs/professionals.md):
 * - `POST [base]/Patient/$access-status` with Parameters `ins` (valueIdentifier, the INS): may the
 *   professional access this person's record, and why (TD0.2);
 * - `POST [base]/Patient/[id]/$declare-access` with Parameters `basis` (valueCode consent | care-team):
 *   records the patient's consent or the care-team membership as a Consent in the record (TD0.3).
 */

type Json = Record<string, unknown>;

interface Parameter {
  name?: unknown;
  valueIdentifier?: { system?: unknown; value?: unknown };
  valueString?: unknown;
  valueCode?: unknown;
}

function parameters(body: unknown): Parameter[] {
  const b = body as Json | undefined;
  if (!b || typeof b !== 'object' || b.resourceType !== 'Parameters') throw badRequest('A Parameters resource is expected in the body');
  if (b.parameter !== undefined && !Array.isArray(b.parameter)) throw badRequest('Parameters.parameter must be an array', ['Parameters.parameter']);
  const list = (b.parameter as unknown[] | undefined) ?? [];
  if (list.some((p) => p === null || typeof p !== 'object' || Array.isArray(p))) throw badRequest('Each Parameters.parameter must be an object', ['Parameters.parameter']);
  return list as Parameter[];
}

/** Practice software does only what its token's scopes grant, operations included. */
function requireScope(ctx: RequestContext, action: ScopeAction, type: string): void {
  const scopes = ctx.principal.scopes;
  if (scopes && !scopesAllow(scopes, action, type)) throw forbidden(`The token's scopes do not allow to ${action} ${type}`);
}

function one(params: Parameter[], name: string): Parameter {
  const found = params.filter((p) => p.name === name);
  if (found.length !== 1) throw badRequest(`The operation needs exactly one '${name}' parameter`, [`Parameters.parameter:${name}`]);
  return found[0]!;
}

function answerParameters(a: AccessAnswer): Json {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'status', valueCode: a.status },
      ...(a.basis ? [{ name: 'basis', valueCode: a.basis }] : []),
      ...(a.since ? [{ name: 'since', valueDateTime: a.since }] : []),
      ...(a.patient ? [{ name: 'patient', valueReference: { reference: `Patient/${a.patient.id}`, display: `${a.patient.given} ${a.patient.family}` } }] : []),
    ],
  };
}

export type OperationHandler = (req: FhirRequest, ctx: RequestContext, params: string[]) => Promise<FhirResponse>;

export function careOperations(repo: Repository, fhirBase: string): { method: string; pattern: RegExp; handler: OperationHandler }[] {
  return [
    {
      method: 'POST',
      pattern: /^\/Patient\/\$access-status\/?$/,
      handler: async (req, ctx) => {
        requireScope(ctx, 'search', 'Patient');
        const ins = one(parameters(req.body), 'ins');
        const id = ins.valueIdentifier ?? (typeof ins.valueString === 'string' ? { value: ins.valueString } : undefined);
        if (!id || typeof id !== 'object' || typeof id.value !== 'string' || (id.system !== undefined && typeof id.system !== 'string')) {
          throw badRequest("'ins' must be a valueIdentifier (system and value)", ['Parameters.parameter:ins']);
        }
        const answer = await accessStatusByIns({ repo }, ctx, { value: id.value, ...(typeof id.system === 'string' ? { system: id.system } : {}) });
        return { status: 200, headers: {}, body: answerParameters(answer) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/Patient\/([A-Za-z0-9\-.]{1,64})\/\$declare-access\/?$/,
      handler: async (req, ctx, [patientId]) => {
        requireScope(ctx, 'create', 'Consent');
        const basis = one(parameters(req.body), 'basis').valueCode;
        if (basis !== 'consent' && basis !== 'care-team') throw badRequest("'basis' must be the code consent or care-team", ['Parameters.parameter:basis']);
        const { consent } = await declareAccess({ repo }, ctx, patientId!, basis);
        const meta = consent.meta as { versionId: string; lastUpdated: string };
        return {
          status: 201,
          headers: { Location: `${fhirBase}/Consent/${consent.id as string}/_history/${meta.versionId}`, ETag: `W/"${meta.versionId}"` },
          body: consent,
        };
      },
    },
  ];
}
