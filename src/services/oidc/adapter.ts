import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../db/index.js';

/**
 * The OpenID Provider's storage (sessions, interactions, codes, grants, tokens) in the oidc_model table, so
 * that every node of a deployment shares it and a restart loses nothing. Expired rows are ignored on read
 * and swept by `sweepExpired`.
 */
export function dbAdapterFactory(db: Db): (name: string) => Adapter {
  return (model: string) => new DbAdapter(db, model);
}

class DbAdapter implements Adapter {
  constructor(
    private readonly db: Db,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    await this.db.query(
      `INSERT INTO oidc_model (model, id, payload, grant_id, uid, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
      [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.uid ?? null, expiresIn ? new Date(Date.now() + expiresIn * 1000) : null],
    );
  }

  private async findWhere(column: 'id' | 'uid', value: string): Promise<AdapterPayload | undefined> {
    const { rows } = await this.db.query<{ payload: AdapterPayload; consumed_at: Date | null }>(
      `SELECT payload, consumed_at FROM oidc_model
        WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
      [this.model, value],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { ...r.payload, ...(r.consumed_at ? { consumed: Math.floor(new Date(r.consumed_at).getTime() / 1000) } : {}) };
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid', uid);
  }

  async findByUserCode(): Promise<AdapterPayload | undefined> {
    return undefined; // the device flow is not enabled
  }

  async consume(id: string): Promise<void> {
    await this.db.query('UPDATE oidc_model SET consumed_at = now() WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_model WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query('DELETE FROM oidc_model WHERE grant_id = $1', [grantId]);
  }
}

export async function sweepExpired(db: Db): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM oidc_model WHERE expires_at < now()');
  return rowCount ?? 0;
}
