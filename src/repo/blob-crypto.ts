/**
 * The at-rest format of blobs: AES-256-GCM, streamed and authenticated chunk by chunk, so that neither side ever
 * holds more than one chunk and no plaintext is released before its tag is checked.
 *
 *   header  = magic "CBLB" | version 0x01 | base nonce (12 random bytes)
 *   record  = AES-GCM(chunk) | tag (16 bytes)      for each 64 KiB plaintext chunk; the last one is 0..64 KiB
 *   nonce_i = base nonce with its last 8 bytes XORed with i (big-endian)
 *   AAD_i   = i (uint64 big-endian) | 1 if last else 0
 *
 * Binding the index and the "last" flag into each tag makes reordering, dropping, truncating and appending
 * detectable: a record decrypted at another position, or as last when it was not (or the reverse), fails its tag.
 * An empty plaintext still yields one (empty, last) record, so an empty blob is distinguishable from a truncated one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../errors.js';

const MAGIC = Buffer.from('CBLB', 'ascii');
const VERSION = 1;
const NONCE_BYTES = 12;
export const HEADER_BYTES = MAGIC.length + 1 + NONCE_BYTES;
export const CHUNK_BYTES = 64 * 1024;
export const TAG_BYTES = 16;
/** A full record on disk: one full chunk and its tag. */
export const RECORD_BYTES = CHUNK_BYTES + TAG_BYTES;

const ALGORITHM = 'aes-256-gcm';

/** A stored blob that fails its checks: altered, truncated, extended, or encrypted with another key. */
export const corrupt = (why: string) =>
  new AppError(500, 'exception', `Stored blob failed its integrity check: ${why}`).withCode('blob.corrupt');

/** Plaintext → at-rest format. */
export function createEncryptStream(key: Buffer): Transform {
  checkKey(key);
  const base = randomBytes(NONCE_BYTES);
  const pending = new ByteQueue();
  let index = 0n;
  let headerSent = false;

  const seal = (stream: Transform, chunk: Buffer, last: boolean) => {
    if (!headerSent) {
      stream.push(Buffer.concat([MAGIC, Buffer.of(VERSION), base]));
      headerSent = true;
    }
    const cipher = createCipheriv(ALGORITHM, key, nonceFor(base, index), { authTagLength: TAG_BYTES });
    cipher.setAAD(aadFor(index, last));
    stream.push(cipher.update(chunk));
    cipher.final(); // GCM yields nothing here
    stream.push(cipher.getAuthTag());
    index++;
  };

  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      pending.push(data);
      // Only seal a chunk once more bytes follow it: until the end, we cannot know whether it is the last one.
      while (pending.length > CHUNK_BYTES) seal(this, pending.take(CHUNK_BYTES), false);
      done();
    },
    flush(done: TransformCallback) {
      seal(this, pending.take(pending.length), true);
      done();
    },
  });
}

/** At-rest format → plaintext; errors the stream (AppError 500 'blob.corrupt') at the first record that fails. */
export function createDecryptStream(key: Buffer): Transform {
  checkKey(key);
  const pending = new ByteQueue();
  let base: Buffer | undefined;
  let index = 0n;

  const open = (record: Buffer, last: boolean): Buffer => {
    const decipher = createDecipheriv(ALGORITHM, key, nonceFor(base!, index), { authTagLength: TAG_BYTES });
    decipher.setAAD(aadFor(index, last));
    decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
    const plaintext = decipher.update(record.subarray(0, record.length - TAG_BYTES));
    try {
      decipher.final(); // throws on a tag mismatch: the plaintext above is dropped unreleased
    } catch {
      throw corrupt(`chunk ${index} does not authenticate`);
    }
    index++;
    return plaintext;
  };

  return new Transform({
    transform(data: Buffer, _enc, done: TransformCallback) {
      pending.push(data);
      try {
        if (!base && pending.length >= HEADER_BYTES) base = readHeader(pending.take(HEADER_BYTES));
        // A full record followed by more bytes is not the last one; the last is whatever remains at the end.
        while (base && pending.length > RECORD_BYTES) this.push(open(pending.take(RECORD_BYTES), false));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!base) throw corrupt('truncated header');
        if (pending.length < TAG_BYTES) throw corrupt('the last chunk is missing');
        this.push(open(pending.take(pending.length), true));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

function readHeader(header: Buffer): Buffer {
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt('not a blob file');
  const version = header[MAGIC.length];
  if (version !== VERSION) throw corrupt(`unknown format version ${version}`);
  return Buffer.from(header.subarray(MAGIC.length + 1));
}

function nonceFor(base: Buffer, index: bigint): Buffer {
  const nonce = Buffer.from(base);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(index);
  for (let i = 0; i < 8; i++) nonce[NONCE_BYTES - 8 + i]! ^= counter[i]!;
  return nonce;
}

function aadFor(index: bigint, last: boolean): Buffer {
  const aad = Buffer.alloc(9);
  aad.writeBigUInt64BE(index);
  aad[8] = last ? 1 : 0;
  return aad;
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('The blob encryption key must be 32 bytes');
}

/** Bytes received in pieces of any size, taken back in pieces of a chosen size, without quadratic copying. */
class ByteQueue {
  private pieces: Buffer[] = [];
  length = 0;

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  take(n: number): Buffer {
    const first = this.pieces[0];
    if (first && first.length >= n) {
      // The common case (a piece holds the whole chunk): a view, no copy.
      if (first.length === n) this.pieces.shift();
      else this.pieces[0] = first.subarray(n);
      this.length -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pieces[0]!;
      const used = piece.copy(out, filled, 0, n - filled);
      filled += used;
      if (used === piece.length) this.pieces.shift();
      else this.pieces[0] = piece.subarray(used);
    }
    this.length -= n;
    return out;
  }
}
