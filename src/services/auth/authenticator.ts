import type { Db } from '../../db/index.js';
import type { Principal } from '../../domain/access/index.js';
import { unauthorized } from '../../errors.js';
import { loadPrincipalCached } from '../../repo/index.js';
import type { Clock } from '../clock.js';
import { WEB_CLIENT_ID } from '../oidc/provider.js';
import type { SigningKey } from './keys.js';
import { verifyToken } from './tokens.js';
import { checkSession } from './sessions.js';
import { isUuid } from '../ids.js';

/**
 * Who a bearer token belongs to. Two kinds of tokens: those of the embedded OpenID Provider (the web app and
 * practice software), which belong to a session that must still be open and not idle, and Carnet-signed
 * tokens from `carnet token` (demo and scripts). Both name an app_user.
 *
 * A professional's session holds the practice situation chosen at sign-in (`principal.practice`, read with
 * the session check). A token issued to another client than the web app carries the scopes granted to that
 * client (`principal.scopes`), which narrow what the request may do; the web app and scripts have none.
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
    const session = claims.sid ? await checkSession(this.db, claims.sid, claims.sub, this.opts.clock.now(), this.opts.idleMinutes) : undefined;
    const loaded = await loadPrincipalCached(this.db, claims.sub, this.opts.clock.now());
    if (!loaded) throw unauthorized('The token names a user who does not exist (any more)');
    // the cached principal is shared: copy it before adding what this token says
    let principal = loaded;
    const practice = session?.practice;
    if (practice && loaded.role === 'professional' && practice.practitionerId === loaded.practitionerId) principal = { ...principal, practice };
    if (claims.clientId !== undefined && claims.clientId !== WEB_CLIENT_ID) {
      principal = { ...principal, scopes: (claims.scope ?? '').split(' ').filter(Boolean) };
    }
    return { principal, ...(claims.sid ? { sid: claims.sid } : {}) };
  }
}
