/**
 * The typed error every layer throws. It carries the FHIR issue type (OperationOutcome.issue.code), the HTTP
 * status and, where known, the element it is about. http/ maps it to an OperationOutcome on /fhir and to
 * problem+json on /api; nothing else decides a status.
 */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'code-invalid'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'deleted'
  | 'not-supported'
  | 'duplicate'
  | 'multiple-matches'
  | 'conflict'
  | 'too-long'
  | 'throttled'
  | 'business-rule'
  | 'processing'
  | 'exception'
  | 'informational';

export interface Issue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: IssueType;
  diagnostics: string;
  expression?: string[];
}

export class AppError extends Error {
  readonly status: number;
  readonly issues: Issue[];
  /** A stable code for the application API (problem+json `code`), which the web app translates. */
  code?: string;

  constructor(status: number, code: IssueType, message: string, expression?: string[], more: Issue[] = []) {
    super(message);
    this.status = status;
    this.issues = [{ severity: 'error', code, diagnostics: message, ...(expression ? { expression } : {}) }, ...more];
  }

  /** Sets the stable application code (e.g. 'activation.invalid'). */
  withCode(code: string): this {
    this.code = code;
    return this;
  }

  static fromIssues(status: number, issues: Issue[]): AppError {
    const [first, ...rest] = issues;
    if (!first) return new AppError(status, 'processing', 'Request failed');
    const err = new AppError(status, first.code, first.diagnostics, first.expression, rest);
    return err;
  }
}

export const badRequest = (msg: string, expression?: string[]) => new AppError(400, 'invalid', msg, expression);
export const notFound = (msg: string) => new AppError(404, 'not-found', msg);
export const forbidden = (msg: string) => new AppError(403, 'forbidden', msg);
export const unauthorized = (msg: string) => new AppError(401, 'login', msg);
export const notSupported = (msg: string, status = 400) => new AppError(status, 'not-supported', msg);
export const businessRule = (msg: string, expression?: string[]) => new AppError(422, 'business-rule', msg, expression);

/** A refusal with its status and its stable application code: the issue type follows the status. */
export function refusal(status: number, code: string, msg: string): AppError {
  const type: IssueType = status === 404 ? 'not-found' : status === 403 ? 'forbidden' : status === 400 ? 'invalid' : status === 413 ? 'too-long' : status === 409 ? 'conflict' : 'business-rule';
  return new AppError(status, type, msg).withCode(code);
}
