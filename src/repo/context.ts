import { randomUUID } from 'node:crypto';
import type { Principal, Purpose } from '../domain/access/index.js';

/** What every repository call carries: who asks, for which purpose, and the clock to date things with. */
export interface RequestContext {
  principal: Principal;
  purpose: Purpose;
  requestId: string;
  /** Where the request came from (IP address), for the audit trail. */
  source?: string;
  now: () => Date;
}

export function makeContext(principal: Principal, extra: Partial<Omit<RequestContext, 'principal'>> = {}): RequestContext {
  return {
    principal,
    purpose: extra.purpose ?? 'normal',
    requestId: extra.requestId ?? randomUUID(),
    now: extra.now ?? (() => new Date()),
    ...(extra.source ? { source: extra.source } : {}),
  };
}
