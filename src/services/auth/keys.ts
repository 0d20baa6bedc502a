import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * Carnet's token signing key: an ES256 key pair generated into DATA_DIR/keys at first start (mode 0600),
 * never committed. The server and `carnet token` read the same file.
 */
export interface SigningKey {
  kid: string;
  /** The private key as a JWK (for the embedded OpenID Provider's key set). */
  jwk: JWK;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const ALG = 'ES256';

export function keyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'signing-key.jwk.json');
}

async function fromJwk(jwk: JWK & { kid: string }): Promise<SigningKey> {
  const { d: _d, ...pub } = jwk;
  return {
    kid: jwk.kid,
    jwk,
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(pub, ALG)) as CryptoKey,
  };
}

/** Reads the key, or returns undefined when none was generated yet. */
export async function loadSigningKey(dataDir: string): Promise<SigningKey | undefined> {
  let text: string;
  try {
    text = fs.readFileSync(keyFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return fromJwk(JSON.parse(text) as JWK & { kid: string });
}

/** Reads the key, generating it first if this DATA_DIR has none. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const existing = await loadSigningKey(dataDir);
  if (existing) return existing;
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: ALG, kid: `carnet-${Date.now().toString(36)}` };
  fs.mkdirSync(path.dirname(keyFile(dataDir)), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(keyFile(dataDir), JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // another process created it first: use theirs
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return (await loadSigningKey(dataDir))!;
}
