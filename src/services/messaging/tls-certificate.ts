import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import net from 'node:net';

/**
 * A self-signed certificate (ECDSA P-256, SHA-256, one year) made with node:crypto alone, for STARTTLS when
 * no certificate is configured (demo, tests). Clients that verify certificates will not trust it.
 */
export function selfSignedCertificate(commonName: string, altNames: readonly string[] = []): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = (tag: number, ...parts: Buffer[]): Buffer => {
    const body = Buffer.concat(parts);
    let len: Buffer;
    if (body.length < 0x80) len = Buffer.from([body.length]);
    else {
      const hex = body.length.toString(16);
      const b = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
      len = Buffer.concat([Buffer.from([0x80 | b.length]), b]);
    }
    return Buffer.concat([Buffer.from([tag]), len, body]);
  };
  const seq = (...p: Buffer[]) => der(0x30, ...p);
  const oid = (s: string) => {
    const [a, b, ...rest] = s.split('.').map(Number);
    const bytes = [40 * a! + b!];
    for (const n of rest) {
      const enc = [n & 0x7f];
      for (let v = n >>> 7; v > 0; v >>>= 7) enc.unshift((v & 0x7f) | 0x80);
      bytes.push(...enc);
    }
    return der(0x06, Buffer.from(bytes));
  };
  const time = (d: Date) => {
    const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    return d.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(s.slice(2))) : der(0x18, Buffer.from(s));
  };
  const name = seq(der(0x31, seq(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName)))));
  const serial = randomBytes(16);
  // positive, and with no leading zero byte (DER INTEGER is minimal: OpenSSL refuses a padded one)
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const now = Date.now();
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const san = [commonName, ...altNames].map((n) => (net.isIPv4(n) ? der(0x87, Buffer.from(n.split('.').map(Number))) : der(0x82, Buffer.from(n))));
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ecdsaSha256,
    name,
    seq(time(new Date(now - 3600_000)), time(new Date(now + 365 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, seq(seq(oid('2.5.29.17'), der(0x04, seq(...san))))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END CERTIFICATE-----\n`;
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: pem };
}
