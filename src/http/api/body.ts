import { badRequest } from '../../errors.js';

/** The JSON object body of an /api request; anything else is a 400. The services check each field. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body) || body instanceof URLSearchParams) {
    throw badRequest('The body must be a JSON object').withCode('request.invalid');
  }
  return body as Record<string, unknown>;
}
