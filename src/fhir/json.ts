import { AppError } from '../errors.js';

/** Deeper than any FHIR resource goes; deeper input is refused rather than overflowing a recursive walker. */
export const MAX_DEPTH = 100;

/**
 * Refuses JSON no FHIR resource can be: nesting deeper than MAX_DEPTH, and property names that would reach
 * into JavaScript's object machinery (__proto__, constructor, prototype). Iterative, so it cannot overflow.
 */
export function checkJsonShape(value: unknown): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) throw new AppError(400, 'structure', `The JSON is nested more than ${MAX_DEPTH} levels deep`);
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        throw new AppError(400, 'structure', `The property name '${key}' is not allowed`);
      }
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

/**
 * Parses a JSON request body. Strict JSON first; when that fails, once more with // and /* *\/ comments
 * removed, as the official FHIR validator does in its JSON5-tolerant mode. Throws the strict parser's
 * SyntaxError, or a 400 AppError from checkJsonShape.
 */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (!text.includes('/')) throw err;
    try {
      value = JSON.parse(stripComments(text));
    } catch {
      throw err;
    }
  }
  checkJsonShape(value);
  return value;
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

/**
 * JSON with object keys sorted and undefined members left out, to compare two resources whatever the order of
 * their keys (a stored resource against the one Carnet would write). `meta` is compared like any member: leave
 * it out of both sides when the store's versionId and lastUpdated must not count.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
