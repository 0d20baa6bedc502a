/**
 * iCalendar (RFC 5545) serialisation of the agenda's private feed. Pure. Content lines end with CRLF and are
 * folded at 75 octets without splitting a UTF-8 character; TEXT values are escaped (\\ \; \, \n); instants are
 * in UTC (DATE-TIME form #2, "Z").
 */

export type IcsStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

export interface IcsEvent {
  /** Globally unique and stable across fetches (the Appointment id @ Carnet's host). */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  status: IcsStatus;
  /** When the entry was last written (LAST-MODIFIED) and its revision (SEQUENCE). */
  lastModified?: Date;
  sequence?: number;
  /** A display alarm this many minutes before the start; none when undefined. */
  alarmMinutes?: number;
}

export interface IcsCalendar {
  /** PRODID, e.g. "-//Carnet//Agenda 1.0//FR". */
  prodId: string;
  /** X-WR-CALNAME: the name calendar apps show for the subscription. */
  name: string;
  /** DTSTAMP of every event: when this calendar was generated. */
  stamp: Date;
  events: IcsEvent[];
}

/** The FHIR Appointment statuses as VEVENT STATUS. */
export function icsStatus(status: string): IcsStatus {
  switch (status) {
    case 'proposed':
    case 'pending':
    case 'waitlist':
      return 'TENTATIVE';
    case 'cancelled':
    case 'entered-in-error':
      return 'CANCELLED';
    default:
      // booked, arrived, checked-in, fulfilled, noshow: the slot was (or is) held
      return 'CONFIRMED';
  }
}

/**
 * The text as iCalendar can carry it: line breaks (CRLF, CR, LF) become LF, other control characters
 * (but TAB) are dropped, lone UTF-16 surrogates become U+FFFD. What `escapeText` escapes is this.
 */
export function icsCleanText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return icsCleanText(value).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

/** DATE-TIME in UTC: 20250301T083000Z. */
export function icsDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Folds a content line: at most 75 octets per physical line (the leading space of a continuation counts),
 * never splitting a UTF-8 encoded character; lines joined with CRLF.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** The whole VCALENDAR, CRLF after every line. */
export function icsCalendar(cal: IcsCalendar): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    `PRODID:${escapeText(cal.prodId)}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
  ];
  const stamp = icsDateTime(cal.stamp);
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDateTime(e.start)}`,
      `DTEND:${icsDateTime(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      `STATUS:${e.status}`,
      ...(e.lastModified ? [`LAST-MODIFIED:${icsDateTime(e.lastModified)}`] : []),
      ...(e.sequence !== undefined ? [`SEQUENCE:${e.sequence}`] : []),
    );
    if (e.alarmMinutes !== undefined && e.status !== 'CANCELLED') {
      lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(e.summary)}`, `TRIGGER:-PT${Math.max(0, Math.round(e.alarmMinutes))}M`, 'END:VALARM');
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
