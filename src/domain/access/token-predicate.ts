/**
 * A condition on the search tokens of a stored resource (fhir/search/extract.ts: "type=11502-2",
 * "security-label=MASQUE_PS", "depositor=Practitioner/8100…"). The document rules (documents.ts) are written
 * as such conditions so that one statement of them serves both a single read and a search: `matches` evaluates
 * one in memory, the repository compiles the same value to SQL over the `tokens` column. A search therefore
 * never counts, pages or includes a row the reader could not read alone.
 */
export type TokenPredicate =
  | boolean
  /** The row carries at least one of these tokens. */
  | { readonly any: readonly string[] }
  | { readonly not: TokenPredicate }
  | { readonly and: readonly TokenPredicate[] }
  | { readonly or: readonly TokenPredicate[] };

export function matches(pred: TokenPredicate, tokens: ReadonlySet<string>): boolean {
  if (typeof pred === 'boolean') return pred;
  if ('any' in pred) return pred.any.some((t) => tokens.has(t));
  if ('not' in pred) return !matches(pred.not, tokens);
  if ('and' in pred) return pred.and.every((p) => matches(p, tokens));
  return pred.or.some((p) => matches(p, tokens));
}

/** `and`, folding the constants away (a rule that always holds adds nothing to the SQL). */
export function and(...preds: TokenPredicate[]): TokenPredicate {
  if (preds.includes(false)) return false;
  const rest = preds.filter((p) => p !== true);
  return rest.length === 0 ? true : rest.length === 1 ? rest[0]! : { and: rest };
}

export function or(...preds: TokenPredicate[]): TokenPredicate {
  if (preds.includes(true)) return true;
  const rest = preds.filter((p) => p !== false);
  return rest.length === 0 ? false : rest.length === 1 ? rest[0]! : { or: rest };
}

export function not(pred: TokenPredicate): TokenPredicate {
  return typeof pred === 'boolean' ? !pred : { not: pred };
}

export function any(tokens: readonly string[]): TokenPredicate {
  return tokens.length === 0 ? false : { any: tokens };
}
