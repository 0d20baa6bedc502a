import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonBody, stripComments } from './json.js';

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
