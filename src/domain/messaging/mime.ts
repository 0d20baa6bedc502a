/**
 * The structural checks a message must pass before it is parsed (issue 7, "bad input": a malformed MIME message
 * gets an SMTP error with a reason, never a silent drop). mailparser reads almost anything; these are the
 * breaks that would make it guess: no header section, no From, a multipart without its boundary or never
 * closed, an unknown transfer encoding at the top level. Pure: the raw bytes in, the first problem out.
 */
const ENCODINGS = new Set(['7bit', '8bit', 'binary', 'quoted-printable', 'base64']);

/** The unfolded top-level headers, lower-cased names, or undefined when there is no header section. */
function headerSection(raw: Buffer): Map<string, string> | undefined {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  if (end <= 0) return undefined;
  const headers = new Map<string, string>();
  for (const line of text.slice(0, end).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(line.slice(0, colon))) return undefined;
    const name = line.slice(0, colon).toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function parameter(value: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function mimeProblem(raw: Buffer): string | undefined {
  const headers = headerSection(raw);
  if (!headers) return 'Malformed message: no header section (RFC 5322)';
  if (!headers.get('from')) return 'Malformed message: it has no From header (RFC 5322 §3.6)';
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding !== undefined && !ENCODINGS.has(encoding)) return `Malformed MIME: unknown Content-Transfer-Encoding ${JSON.stringify(encoding.slice(0, 40))}`;
  const type = headers.get('content-type');
  if (type && /^\s*multipart\//i.test(type)) {
    const boundary = parameter(type, 'boundary');
    if (!boundary || boundary.length > 70) return 'Malformed MIME: a multipart message without a valid boundary (RFC 2046 §5.1.1)';
    const body = raw.toString('latin1');
    if (!body.includes(`--${boundary}`)) return 'Malformed MIME: the multipart boundary never appears';
    if (!body.includes(`--${boundary}--`)) return 'Malformed MIME: the multipart body is never closed (truncated message?)';
  }
  return undefined;
}
