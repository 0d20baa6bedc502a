/**
 * Cuts text chunks, cut anywhere, into lines: LF or CRLF line ends, an optional UTF-8 byte order mark at the
 * very start. Empty lines are returned as '' (the importer skips them); the last line needs no line end.
 */
export interface LineReader {
  push(chunk: string): string[];
  end(): string[];
}

export function createLineReader(): LineReader {
  let rest = '';
  let first = true;
  const strip = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(chunk) {
      if (first && chunk.length > 0) {
        first = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      const text = rest === '' ? chunk : rest + chunk;
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (let i = 0; i < parts.length; i++) parts[i] = strip(parts[i]!);
      return parts;
    },
    end() {
      const last = strip(rest);
      rest = '';
      return last === '' ? [] : [last];
    },
  };
}
