import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** What an attachment may say besides its bytes. */
export interface AttachmentOptions {
  /** The length in bytes, for a stream (a buffer's own length otherwise). */
  size?: number;
  /** A file the app did not make (a message's attachment): sandboxed, should a browser open it anyway. */
  sandbox?: boolean;
}

/** The name for clients that do not read `filename*`: accents dropped, other non-ASCII characters and quotes as `_`. */
function asciiName(filename: string): string {
  return filename
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
}

/**
 * Sends a file as a download: `Content-Disposition: attachment` with an ASCII `filename` and the exact UTF-8
 * name as `filename*` (RFC 6266, RFC 5987), never cached nor sniffed.
 */
export function sendAttachment(reply: FastifyReply, filename: string, bytes: Uint8Array | Readable, contentType: string, opts: AttachmentOptions = {}): FastifyReply {
  const size = bytes instanceof Uint8Array ? bytes.length : opts.size;
  reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${asciiName(filename)}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff');
  if (opts.sandbox) reply.header('content-security-policy', "sandbox; default-src 'none'");
  if (size !== undefined) reply.header('content-length', String(size));
  return reply.send(bytes);
}
