import type { Db } from '../../db/index.js';
import type { Principal } from '../../domain/access/index.js';
import { unauthorized } from '../../errors.js';
import { loadPrincipalCached } from '../../repo/index.js';
import type { Clock } from '../clock.js';
import type { SigningKey } from './keys.js';
import { verifyToken } from './tokens.js';
import { checkSession } from './sessions.js';
import { isUuid } from '../ids.js';

/**
 * Who a bearer token belongs to. Two kinds of tokens: those of the embedded OpenID Provider (the web app and
 * connected apps), which belong to a session that must still be open and not idle, and Carnet-signed
 * tokens from `carnet token` (demo and scripts). Both name an app_user.
 */
export class Authenticator {
  constructor(
    private readonly db: Db,
    private readonly key: SigningKey,
    private readonly opts: { issuers: string[]; idleMinutes: number; clock: Clock },
  ) {}

  async principalOf(authorization: string | undefined, bearer: (h: string | undefined) => string): Promise<{ principal: Principal; sid?: string }> {
    const claims = await verifyToken(this.key, bearer(authorization), this.opts.issuers);
    if (!isUuid(claims.sub)) throw unauthorized('The token names no Carnet user');
    if (claims.sid) await checkSession(this.db, claims.sid, claims.sub, this.opts.clock.now(), this.opts.idleMinutes);
    const principal = await loadPrincipalCached(this.db, claims.sub, this.opts.clock.now());
    if (!principal) throw unauthorized('The token names a user who does not exist (any more)');
    return { principal, ...(claims.sid ? { sid: claims.sid } : {}) };
  }
}
