import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, HEADER_BYTES, RECORD_BYTES, createDecryptStream, createEncryptStream } from './blob-crypto.js';
import { FileBlobStore } from './blob-store.js';

const KEY = Buffer.alloc(32, 7);
const MAX = 32 * 1024 * 1024;

let dir: string;
let store: FileBlobStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-blobs-'));
  store = new FileBlobStore({ dir, key: KEY, maxBytes: MAX });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fileOf = (key: string) => path.join(dir, key.slice(0, 2), key.slice(2, 4), key);
const tmpFiles = () => (fs.existsSync(path.join(dir, 'tmp')) ? fs.readdirSync(path.join(dir, 'tmp')) : []);
const blobFiles = () => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /[0-9a-f]{64}$/.test(f));

/** A stream that hands the buffer over in pieces of `piece` bytes, as a network upload would. */
const streamOf = (b: Buffer, piece = 1000) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < b.length; i += piece) yield b.subarray(i, i + piece);
    })(),
    { objectMode: false },
  );

/** Reads a stream to its end, resolving with its bytes or rejecting with its error. */
/** Buffer.equals: vitest's deep equality walks a Buffer byte by byte, which is slow for hundreds of KiB. */
const expectSameBytes = (actual: Buffer, expected: Buffer) => expect(actual.equals(expected), `${actual.length} vs ${expected.length} bytes`).toBe(true);

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Stores `b`, alters its file with `alter`, and expects both the stream and read() to fail. */
async function expectTamperDetected(b: Buffer, alter: (bytes: Buffer) => Buffer) {
  const { key } = await store.put(b);
  fs.writeFileSync(fileOf(key), alter(fs.readFileSync(fileOf(key))));
  await expect(drain(await store.get(key))).rejects.toMatchObject({ status: 500, code: 'blob.corrupt' });
  await expect(store.read(key)).rejects.toMatchObject({ status: 500 });
}

describe('FileBlobStore', () => {
  it.each([0, 1, 65535, 65536, 65537, 3 * CHUNK_BYTES + 1])('round-trips %i bytes', async (size) => {
    const bytes = randomBytes(size);
    const blob = await store.put(bytes);
    expect(blob.size).toBe(size);
    expectSameBytes(await store.read(blob.key), bytes);
    expectSameBytes(await drain(await store.get(blob.key)), bytes);
    expect(await store.has(blob.key)).toBe(true);
  });

  it('gives a Buffer and a stream of the same bytes the same key and content', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3 * CHUNK_BYTES }), fc.integer({ min: 1, max: 70_000 }), async (arr, piece) => {
        const bytes = Buffer.from(arr);
        const whole = await store.put(bytes);
        const streamed = await store.put(streamOf(bytes, piece));
        expect(streamed).toEqual(whole);
        expectSameBytes(await store.read(whole.key), bytes);
      }),
      { numRuns: 40 },
    );
  });

  it('keys by SHA-256 hex and reports SHA-1 base64', async () => {
    const bytes = Buffer.from('%PDF-1.7 a lab report');
    const blob = await store.put(bytes);
    expect(blob).toEqual({
      key: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      sha1: createHash('sha1').update(bytes).digest('base64'),
    });
    expect(fs.existsSync(fileOf(blob.key))).toBe(true);
  });

  it('stores the same content once, also when two puts race', async () => {
    const bytes = randomBytes(100_000);
    const [a, b] = await Promise.all([store.put(bytes), store.put(streamOf(bytes))]);
    const c = await store.put(bytes);
    expect(a.key).toBe(b.key);
    expect(c.key).toBe(a.key);
    expect(blobFiles()).toHaveLength(1);
    expect(tmpFiles()).toEqual([]);
    expectSameBytes(await store.read(a.key), bytes);
  });

  it('does not keep the plaintext on disk', async () => {
    const marker = Buffer.from('Compte rendu: glycémie 1,05 g/L, patient Jeanne Dupont. '.repeat(50));
    const { key } = await store.put(marker);
    const onDisk = fs.readFileSync(fileOf(key));
    expect(onDisk.includes(Buffer.from('Jeanne Dupont'))).toBe(false);
    expect(onDisk.includes(Buffer.from('glycémie'))).toBe(false);
  });

  it('rejects over maxBytes with 413 and leaves nothing behind (Buffer and stream)', async () => {
    const bytes = randomBytes(200_000);
    await expect(store.put(bytes, { maxBytes: 100_000 })).rejects.toMatchObject({ status: 413, code: 'blob.too-large' });
    await expect(store.put(streamOf(bytes), { maxBytes: 100_000 })).rejects.toMatchObject({ status: 413 });
    const small = new FileBlobStore({ dir, key: KEY, maxBytes: 10 });
    await expect(small.put(streamOf(Buffer.alloc(11), 3))).rejects.toMatchObject({ status: 413 });
    expect(tmpFiles()).toEqual([]);
    expect(blobFiles()).toEqual([]);
    expect((await small.put(Buffer.alloc(10))).size).toBe(10); // the limit itself is allowed
  });

  it('rejects when the source stream errors midway, and leaves no temporary file', async () => {
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(CHUNK_BYTES);
        yield randomBytes(CHUNK_BYTES);
        throw new Error('connection reset');
      })(),
      { objectMode: false },
    );
    await expect(store.put(failing)).rejects.toThrow('connection reset');
    expect(tmpFiles()).toEqual([]);
    expect(blobFiles()).toEqual([]);
  });

  describe('detects tampering', () => {
    const bytes = randomBytes(3 * CHUNK_BYTES + 1); // three full records and a last one of 1 byte

    it('a flipped byte in a chunk', () =>
      expectTamperDetected(bytes, (f) => {
        f[HEADER_BYTES + RECORD_BYTES + 10]! ^= 1;
        return f;
      }));

    it('a dropped last chunk (truncation)', () => expectTamperDetected(bytes, (f) => f.subarray(0, HEADER_BYTES + 3 * RECORD_BYTES)));

    it('a truncation inside a chunk', () => expectTamperDetected(bytes, (f) => f.subarray(0, f.length - 5)));

    it('appended bytes', () => expectTamperDetected(bytes, (f) => Buffer.concat([f, Buffer.from('xyz')])));

    it('appended bytes after an exact number of full chunks', () =>
      expectTamperDetected(randomBytes(CHUNK_BYTES), (f) => Buffer.concat([f, randomBytes(RECORD_BYTES)])));

    it('two swapped chunks', () =>
      expectTamperDetected(bytes, (f) => {
        const first = (i: number) => f.subarray(HEADER_BYTES + i * RECORD_BYTES, HEADER_BYTES + (i + 1) * RECORD_BYTES);
        return Buffer.concat([f.subarray(0, HEADER_BYTES), first(1), first(0), f.subarray(HEADER_BYTES + 2 * RECORD_BYTES)]);
      }));

    it('an emptied file', () => expectTamperDetected(Buffer.alloc(0), () => Buffer.alloc(0)));

    it('any flipped byte anywhere', async () => {
      const small = randomBytes(CHUNK_BYTES + 100);
      const { key } = await store.put(small);
      const original = fs.readFileSync(fileOf(key));
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
          const altered = Buffer.from(original);
          altered[at]! ^= mask;
          fs.writeFileSync(fileOf(key), altered);
          await expect(store.read(key)).rejects.toMatchObject({ status: 500 });
        }),
        { numRuns: 50 },
      );
    });
  });

  it('cannot be read with another key', async () => {
    const { key } = await store.put(randomBytes(1000));
    const other = new FileBlobStore({ dir, key: Buffer.alloc(32, 8), maxBytes: MAX });
    expect(await other.has(key)).toBe(true);
    await expect(other.read(key)).rejects.toMatchObject({ status: 500, code: 'blob.corrupt' });
  });

  it('answers 404 for an unknown key and 400 for a malformed one', async () => {
    const unknown = 'a'.repeat(64);
    await expect(store.get(unknown)).rejects.toMatchObject({ status: 404 });
    await expect(store.read(unknown)).rejects.toMatchObject({ status: 404 });
    expect(await store.has(unknown)).toBe(false);
    await store.delete(unknown); // no error when absent
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), '../../etc/passwd', `${'a'.repeat(62)}/.`, '']) {
      for (const call of [(k: string) => store.get(k), (k: string) => store.read(k), (k: string) => store.has(k), (k: string) => store.delete(k)]) {
        await expect(call(bad)).rejects.toMatchObject({ status: 400 });
      }
    }
  });

  it('deletes a blob', async () => {
    const { key } = await store.put(Buffer.from('to be collected'));
    await store.delete(key);
    expect(await store.has(key)).toBe(false);
    await expect(store.get(key)).rejects.toMatchObject({ status: 404 });
  });

  it('streams a 20 MB input through without holding it, and back', async () => {
    const chunks = 320; // 320 × 64 KiB = 20 MiB
    const expected = createHash('sha256');
    let laggingBehind = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) {
          const chunk = Buffer.alloc(CHUNK_BYTES, i % 251);
          chunk.writeUInt32BE(i);
          expected.update(chunk);
          // What has been produced must already be mostly on disk: the store does not hoard the stream.
          const [tmp] = tmpFiles();
          const written = tmp ? fs.statSync(path.join(dir, 'tmp', tmp)).size : 0;
          laggingBehind = Math.max(laggingBehind, i * CHUNK_BYTES - written);
          yield chunk;
        }
      })(),
      { objectMode: false, highWaterMark: CHUNK_BYTES },
    );
    const blob = await store.put(source);
    expect(blob.size).toBe(chunks * CHUNK_BYTES);
    expect(blob.key).toBe(expected.digest('hex'));
    expect(laggingBehind).toBeLessThan(2 * 1024 * 1024);

    const back = createHash('sha256');
    let biggest = 0;
    for await (const part of await store.get(blob.key)) {
      back.update(part as Buffer);
      biggest = Math.max(biggest, (part as Buffer).length);
    }
    expect(back.digest('hex')).toBe(blob.key);
    expect(biggest).toBeLessThanOrEqual(CHUNK_BYTES);
  });
});

describe('blob-crypto', () => {
  it('round-trips through the encrypt and decrypt streams, whatever the piece sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2 * CHUNK_BYTES + 10 }), fc.integer({ min: 1, max: 100_000 }), async (arr, piece) => {
        const bytes = Buffer.from(arr);
        const sealed = await drain(streamOf(bytes, piece).pipe(createEncryptStream(KEY)));
        const records = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
        expect(sealed.length).toBe(HEADER_BYTES + bytes.length + 16 * records);
        expectSameBytes(await drain(streamOf(sealed, piece).pipe(createDecryptStream(KEY))), bytes);
      }),
      { numRuns: 40 },
    );
  });

  it('uses a fresh nonce each time', async () => {
    const bytes = Buffer.from('same plaintext');
    const a = await drain(streamOf(bytes).pipe(createEncryptStream(KEY)));
    const b = await drain(streamOf(bytes).pipe(createEncryptStream(KEY)));
    expect(a.equals(b)).toBe(false);
  });

  it('rejects a header of another format or version', async () => {
    const sealed = await drain(streamOf(Buffer.from('x')).pipe(createEncryptStream(KEY)));
    for (const at of [0, 4]) {
      const altered = Buffer.from(sealed);
      altered[at]! ^= 1;
      await expect(drain(streamOf(altered).pipe(createDecryptStream(KEY)))).rejects.toMatchObject({ code: 'blob.corrupt' });
    }
  });
});
