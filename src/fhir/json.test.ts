import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJsonBody, stripComments } from './json.js';

describe('parseJsonBody', () => {
  it('parses strict JSON', () => {
    expect(parseJsonBody('{"a": "b//c", "d": "/*e*/"}')).toEqual({ a: 'b//c', d: '/*e*/' });
  });

  it('tolerates comments outside strings', () => {
    expect(parseJsonBody('{\n // line\n "a": 1, /* block */ "b": "x\\"//y"\n}')).toEqual({ a: 1, b: 'x"//y' });
  });

  it('still refuses what is not JSON, with the strict parser’s message', () => {
    expect(() => parseJsonBody('{"a": 1,')).toThrow(SyntaxError);
    expect(() => parseJsonBody('{"a": 1 // unterminated')).toThrow(SyntaxError);
  });

  it('leaves any JSON text without comments unchanged in meaning', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.parse(stripComments(text))).toEqual(JSON.parse(text));
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('is the same whatever the order of the keys, and leaves undefined members out', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }, 'x'] })).toBe('{"a":[{"d":2},"x"],"b":1}');
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('gives equal texts for equal JSON values, and parses back to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
