/**
 * A streaming reader and a writer for the `;`-separated CSV of population files (docs/population-file.md):
 * RFC 4180 quoting with double quotes (a quoted field may hold `;`, `""` for a quote, and line breaks), CRLF,
 * LF or a lone CR as line end, an optional UTF-8 BOM at the very start.
 *
 * Deviations from RFC 4180, chosen to be forgiving with files saved by spreadsheets:
 * - a `"` inside an unquoted field is kept as an ordinary character;
 * - empty lines (no character at all) between records are skipped.
 * Text after a closing quote (`"abc"def`) and a quote still open at the end of the input are errors: the
 * record is still returned, with `error` set, so that the caller can report it against its line.
 */

export const SEPARATOR = ';';

export interface CsvRecord {
  /** 1-based line number of the record's first character (a quoted line break makes a record span lines). */
  readonly line: number;
  readonly fields: string[];
  /** Set when the record is malformed; `fields` then holds what could be read. */
  readonly error?: string;
}

export interface RecordReaderOptions {
  /** A longer field is cut and its record marked with an error, so that memory stays bounded. Default 100,000. */
  readonly maxFieldLength?: number;
  /** More fields in one record mark it with an error (the extra fields are dropped). Default 1,000. */
  readonly maxFields?: number;
}

export interface RecordReader {
  /** Feeds the next chunk of text; returns the records completed by it (possibly none). */
  push(chunk: string): CsvRecord[];
  /** Signals the end of the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[];
}

const SEMICOLON = 59;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/** Where the reader stands between two characters. */
type State = 0 | 1 | 2 | 3 | 4;
/** At the start of a field (nothing of it read yet). */
const FIELD_START = 0;
/** Inside an unquoted field. */
const UNQUOTED = 1;
/** Inside a quoted field. */
const QUOTED = 2;
/** Just read a `"` inside a quoted field: either the closing quote or the first half of `""`. */
const QUOTE_IN_QUOTED = 3;
/** Just ended a record on a CR: a LF right after it belongs to the same line break. */
const AFTER_CR = 4;

/** Creates a reader that turns text chunks, cut anywhere, into records. */
export function createRecordReader(options: RecordReaderOptions = {}): RecordReader {
  return new StreamingReader(options.maxFieldLength ?? 100_000, options.maxFields ?? 1_000);
}

/** Reads a whole text at once. */
export function parseCsv(text: string, options: RecordReaderOptions = {}): CsvRecord[] {
  const reader = createRecordReader(options);
  const records = reader.push(text);
  for (const record of reader.end()) records.push(record);
  return records;
}

class StreamingReader implements RecordReader {
  private state: State = FIELD_START;
  /** Line of the next character to read. */
  private line = 1;
  private recordLine = 1;
  private fields: string[] = [];
  private field = '';
  /** Whether the current record has consumed any character (an empty line has not). */
  private started = false;
  private error: string | undefined;
  /** Line on which the current quoted field was opened. */
  private quoteLine = 0;
  /** Inside a quoted field: the previous character was a CR (so that CRLF counts as one line). */
  private quotedCr = false;
  private first = true;
  private ended = false;
  private out: CsvRecord[] = [];

  constructor(
    private readonly maxFieldLength: number,
    private readonly maxFields: number,
  ) {}

  push(chunk: string): CsvRecord[] {
    if (this.ended) throw new Error('push() called after end()');
    const n = chunk.length;
    let i = 0;
    if (this.first && n > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === BOM) i = 1;
    }
    while (i < n) {
      switch (this.state) {
        case AFTER_CR: {
          if (chunk.charCodeAt(i) === LF) i++;
          this.state = FIELD_START;
          break;
        }
        case FIELD_START: {
          if (chunk.charCodeAt(i) === QUOTE) {
            this.started = true;
            this.state = QUOTED;
            this.quoteLine = this.line;
            this.quotedCr = false;
            i++;
          } else {
            this.state = UNQUOTED;
          }
          break;
        }
        case UNQUOTED: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = chunk.charCodeAt(j);
            if (c === SEMICOLON || c === LF || c === CR) break;
            j++;
          }
          if (j > i) {
            this.started = true;
            this.append(chunk.slice(i, j));
          }
          if (j === n) {
            i = n;
          } else {
            i = j + 1;
            this.delimiter(c);
          }
          break;
        }
        case QUOTED: {
          const k = chunk.indexOf('"', i);
          const end = k === -1 ? n : k;
          if (end > i) {
            const text = chunk.slice(i, end);
            this.countLines(text);
            this.append(text);
          }
          if (k === -1) {
            i = n;
          } else {
            this.state = QUOTE_IN_QUOTED;
            i = k + 1;
          }
          break;
        }
        case QUOTE_IN_QUOTED: {
          const c = chunk.charCodeAt(i);
          if (c === QUOTE) {
            this.append('"');
            this.quotedCr = false;
            this.state = QUOTED;
            i++;
          } else if (c === SEMICOLON || c === LF || c === CR) {
            this.delimiter(c);
            i++;
          } else {
            this.error ??= `unexpected character after a closing quote in field ${this.fields.length + 1}`;
            this.state = UNQUOTED;
          }
          break;
        }
      }
    }
    return this.flush();
  }

  end(): CsvRecord[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.state === QUOTED) {
      this.error ??= `quoted field opened on line ${this.quoteLine} is not closed at the end of the file`;
      this.endRecord();
    } else if (this.state !== AFTER_CR && (this.started || this.fields.length > 0)) {
      this.endRecord();
    }
    return this.flush();
  }

  /** Handles a `;`, LF or CR read outside quotes. */
  private delimiter(c: number): void {
    if (c === SEMICOLON) {
      this.started = true;
      this.endField();
      this.state = FIELD_START;
      return;
    }
    if (this.started) this.endRecord();
    this.line++;
    this.recordLine = this.line;
    this.state = c === CR ? AFTER_CR : FIELD_START;
  }

  private append(text: string): void {
    if (this.field.length + text.length > this.maxFieldLength) {
      this.error ??= `field ${this.fields.length + 1} is longer than ${this.maxFieldLength} characters`;
      this.field += text.slice(0, Math.max(0, this.maxFieldLength - this.field.length));
    } else {
      this.field += text;
    }
  }

  private endField(): void {
    if (this.fields.length < this.maxFields) {
      this.fields.push(this.field);
    } else {
      this.error ??= `record has more than ${this.maxFields} fields`;
    }
    this.field = '';
  }

  private endRecord(): void {
    this.endField();
    const record: CsvRecord =
      this.error === undefined
        ? { line: this.recordLine, fields: this.fields }
        : { line: this.recordLine, fields: this.fields, error: this.error };
    this.out.push(record);
    this.fields = [];
    this.started = false;
    this.error = undefined;
  }

  /** Counts the line breaks in quoted text (CRLF, LF or CR each count once), even across chunks. */
  private countLines(text: string): void {
    let cr = this.quotedCr;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === CR) {
        this.line++;
        cr = true;
      } else {
        if (c === LF && !cr) this.line++;
        cr = false;
      }
    }
    this.quotedCr = cr;
  }

  private flush(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}

/** One field, quoted when it holds a separator, a quote or a line break. */
export function formatCsvField(value: string): string {
  const plain =
    value.indexOf(';') === -1 && value.indexOf('"') === -1 && value.indexOf('\n') === -1 && value.indexOf('\r') === -1;
  return plain ? value : `"${value.replace(/"/g, '""')}"`;
}

/** One record, without line terminator. */
export function formatCsvRecord(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += SEPARATOR;
    out += formatCsvField(fields[i]!);
  }
  return out;
}
