/**
 * Parses a JSON request body. Strict JSON first; when that fails, once more with // and /* *\/ comments
 * removed, as the official FHIR validator does in its JSON5-tolerant mode. Throws the strict parser's error.
 */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!text.includes('/')) throw err;
    try {
      return JSON.parse(stripComments(text));
    } catch {
      throw err;
    }
  }
}

/** Removes // line and /* block *\/ comments outside strings. */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}
