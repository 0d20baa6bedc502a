/**
 * Documents' bytes (PDFs, images, CDA XML) live outside the database, behind BlobStore. Blobs are addressed by the
 * SHA-256 of their plaintext, so the same document stored twice is stored once, and a reference can be checked
 * against its content. The filesystem store encrypts at rest (see blob-crypto.ts) and streams both ways.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline as pipe, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, badRequest, notFound } from '../errors.js';
import { createDecryptStream, createEncryptStream } from './blob-crypto.js';

export interface StoredBlob {
  /** SHA-256 of the plaintext, lower-case hex: the blob's key (content addressing). */
  key: string;
  /** Plaintext size in bytes. */
  size: number;
  /** SHA-1 of the plaintext, base64 (what IHE MHD's attachment.hash carries). */
  sha1: string;
}

export interface BlobStore {
  /**
   * Stores bytes given whole or as a stream; returns their key. Storing the same content twice stores it once
   * (and is safe when two calls race). Over `maxBytes` (default: the store's limit) it rejects with
   * AppError(413, ...) and leaves nothing behind. A stream is never buffered whole.
   */
  put(input: Buffer | Readable, opts?: { maxBytes?: number }): Promise<StoredBlob>;
  /** The plaintext as a stream. Rejects with AppError 404 'not-found' when absent. The stream errors if the stored file was altered or truncated. */
  get(key: string): Promise<Readable>;
  /** The plaintext whole, for small blobs (convenience over get). */
  read(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** Removes a blob (for the garbage collection of blobs nothing references). No error when absent. */
  delete(key: string): Promise<void>;
}

const tooLarge = (maxBytes: number) =>
  new AppError(413, 'too-long', `The document is larger than the limit of ${maxBytes} bytes`).withCode('blob.too-large');

/**
 * Blobs as files under `dir/<2 hex>/<2 hex>/<sha256 hex>` (two levels keep directories small), written to `dir/tmp/`
 * first and renamed into place once their hash, hence their name, is known: a reader never sees a partial file.
 */
export class FileBlobStore implements BlobStore {
  private readonly dir: string;
  private readonly key: Buffer;
  private readonly maxBytes: number;

  constructor(opts: { dir: string; key: Buffer /* 32 bytes */; maxBytes: number }) {
    if (opts.key.length !== 32) throw new Error('The blob encryption key must be 32 bytes');
    this.dir = opts.dir;
    this.key = opts.key;
    this.maxBytes = opts.maxBytes;
  }

  async put(input: Buffer | Readable, opts?: { maxBytes?: number }): Promise<StoredBlob> {
    const maxBytes = opts?.maxBytes ?? this.maxBytes;
    if (Buffer.isBuffer(input) && input.length > maxBytes) throw tooLarge(maxBytes);
    const source = Buffer.isBuffer(input) ? Readable.from([input], { objectMode: false }) : input;

    await mkdir(path.join(this.dir, 'tmp'), { recursive: true });
    const tmp = path.join(this.dir, 'tmp', randomUUID());
    try {
      const meter = new Meter(maxBytes);
      await pipeline(source, meter, createEncryptStream(this.key), createWriteStream(tmp, { flags: 'wx', flush: true }));
      const blob = meter.result();
      await this.moveIntoPlace(tmp, this.pathOf(blob.key));
      return blob;
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = await open(this.pathOf(checkKey(key)), 'r').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? notFound(`No blob ${key}`) : err;
    });
    // pipeline forwards a read error to the output and closes the file when the reader stops early.
    return pipe(file.createReadStream(), createDecryptStream(this.key), () => {});
  }

  async read(key: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of await this.get(key)) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  async has(key: string): Promise<boolean> {
    return exists(this.pathOf(checkKey(key)));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(checkKey(key)), { force: true });
  }

  private pathOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key.slice(2, 4), key);
  }

  /**
   * Same content, same name: when the blob is there already, the new copy is redundant. Two racing puts may both
   * rename; rename replaces atomically and either file decrypts to the same plaintext, so that is harmless.
   */
  private async moveIntoPlace(tmp: string, target: string): Promise<void> {
    if (await exists(target)) return rm(tmp, { force: true });
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
  }
}

/** Passes bytes through while counting and hashing them, and stops the flow as soon as they exceed the limit. */
class Meter extends Transform {
  private size = 0;
  private readonly sha256 = createHash('sha256');
  private readonly sha1 = createHash('sha1');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(tooLarge(this.maxBytes));
    this.sha256.update(chunk);
    this.sha1.update(chunk);
    done(null, chunk);
  }

  result(): StoredBlob {
    return { key: this.sha256.digest('hex'), size: this.size, sha1: this.sha1.digest('base64') };
  }
}

/** Keys become paths: only a SHA-256 in lower-case hex may, so no key can point outside the store. */
function checkKey(key: string): string {
  if (typeof key !== 'string' || !/^[0-9a-f]{64}$/.test(key)) throw badRequest('A blob key is 64 lower-case hexadecimal characters');
  return key;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
