/**
 * The search form of a drug or vaccine name: lower case, accents removed, every run of characters other than
 * letters and digits turned into one space. A query matches when each of its words is the prefix of a word of
 * the name (so "dolip 1000" finds "DOLIPRANE 1000 mg, comprimé").
 */
export function searchName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a query, in search form; empty when there is nothing to look for. */
export function queryWords(q: string): string[] {
  const folded = searchName(q);
  return folded === '' ? [] : folded.split(' ');
}
