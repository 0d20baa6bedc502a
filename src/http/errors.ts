import { AppError, type Issue } from '../errors.js';

/** Fastify's own errors (body parsing and limits) as AppErrors, with the stable codes /api answers. */
const FASTIFY: Record<string, (err: Error) => AppError> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new AppError(415, 'not-supported', 'Unsupported content type: send application/fhir+json or application/json').withCode('request.unsupported-media-type'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AppError(400, 'invalid', 'The Content-Length does not match the body').withCode('request.invalid'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError(413, 'too-long', 'The body is larger than the configured limit (MAX_BODY_BYTES)').withCode('request.too-large'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError(400, 'invalid', 'The body is empty').withCode('request.invalid'),
  FST_ERR_CTP_INVALID_TYPE: () => new AppError(400, 'invalid', 'The Content-Type header is not valid').withCode('request.invalid'),
  FST_ERR_BAD_URL: () => new AppError(400, 'invalid', 'The URL is not valid').withCode('request.invalid'),
};

/** Maps anything thrown while handling a request to an AppError; unexpected errors stay 500. */
export function toAppError(err: unknown): { error: AppError; unexpected: boolean } {
  if (err instanceof AppError) return { error: err, unexpected: false };
  const e = err as Error & { code?: string; statusCode?: number };
  const mapped = e.code ? FASTIFY[e.code] : undefined;
  if (mapped) return { error: mapped(e), unexpected: false };
  // PostgreSQL data exceptions (class 22) come from values the client sent, e.g. an impossible date.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) {
    // the database's own wording stays in the logs: the client is told what kind of value was refused
    return { error: new AppError(400, 'invalid', 'A value in the request is not valid (a character or a format that cannot be stored)').withCode('request.invalid'), unexpected: false };
  }
  if (e.code === '23505') {
    return { error: new AppError(409, 'duplicate', 'This already exists (a concurrent request may have created it)'), unexpected: false };
  }
  if (e.code === '40001' || e.code === '40P01') {
    return { error: new AppError(409, 'conflict', 'The request conflicted with a concurrent one; try again'), unexpected: false };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { error: new AppError(e.statusCode, 'invalid', e.message), unexpected: false };
  }
  return { error: new AppError(500, 'exception', 'Internal error; it has been logged'), unexpected: true };
}

/** problem+json (RFC 9457) for /api. */
export function problem(status: number, issues: Issue[], code?: string): Record<string, unknown> {
  const [first] = issues;
  // the fields at fault, by their names (or FHIRPath), so that a form shows each message at its field
  const fields = [...new Set(issues.flatMap((i) => i.expression ?? []))];
  return {
    type: 'about:blank',
    title: first?.diagnostics ?? 'Error',
    status,
    ...(code ? { code } : {}),
    ...(fields.length ? { fields } : {}),
    ...(issues.length > 1 ? { errors: issues.map((i) => ({ detail: i.diagnostics, pointer: i.expression?.[0] })) } : {}),
  };
}
