import type { Issue } from '../errors.js';

/** An OperationOutcome from issues (errors, warnings or information). */
export function operationOutcome(issues: Issue[]): Record<string, unknown> {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity,
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression?.length ? { expression: i.expression } : {}),
    })),
  };
}

export function informational(message: string): Record<string, unknown> {
  return operationOutcome([{ severity: 'information', code: 'informational', diagnostics: message }]);
}
