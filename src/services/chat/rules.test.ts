import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { ChatHub, type ChatConnection } from './hub.js';
import { MAX_BODY, memberIds, messageBody, paging, readSeq, roomIdParam, roomTitle } from './rules.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.code}`;
    throw err;
  }
  return undefined;
};

describe('chat rules', () => {
  it('trims a message and bounds it to 1..4000 characters', () => {
    expect(messageBody('  bonjour\n')).toBe('bonjour');
    expect(messageBody('a\n\nb')).toBe('a\n\nb');
    expect(messageBody('x'.repeat(MAX_BODY))).toHaveLength(MAX_BODY);
    expect(codeOf(() => messageBody('x'.repeat(MAX_BODY + 1)))).toBe('400 chat.body-too-long');
    expect(codeOf(() => messageBody(' \t\n'))).toBe('400 chat.body');
    expect(codeOf(() => messageBody(undefined))).toBe('400 chat.body');
    expect(codeOf(() => messageBody(['a']))).toBe('400 chat.body');
  });

  it('puts a title on one line, 1..100 characters', () => {
    expect(roomTitle(' Avis\n urgent ')).toBe('Avis urgent');
    expect(codeOf(() => roomTitle(''))).toBe('400 chat.title');
    expect(codeOf(() => roomTitle('x'.repeat(101)))).toBe('400 chat.title');
    expect(codeOf(() => roomTitle(3))).toBe('400 chat.title');
  });

  it('takes members as directory ids, without duplicates nor oneself', () => {
    expect(memberIds(['81', '82', '81', '80'], '80')).toEqual(['81', '82']);
    expect(codeOf(() => memberIds(['80'], '80'))).toBe('400 chat.members');
    expect(codeOf(() => memberIds('81', '80'))).toBe('400 chat.members');
    expect(codeOf(() => memberIds(['8 1'], '80'))).toBe('400 chat.members');
    expect(codeOf(() => memberIds(Array.from({ length: 50 }, (_, i) => `8${i}`), '80x'))).toBe('400 chat.too-many-members');
    expect(memberIds(Array.from({ length: 49 }, (_, i) => `8${i}`), '80x')).toHaveLength(49);
  });

  it('reads paging: after, before or the latest page, with a limit', () => {
    expect(paging({})).toEqual({ limit: 50 });
    expect(paging({ after: '0', limit: '200' })).toEqual({ after: 0, limit: 200 });
    expect(paging({ before: '12' })).toEqual({ before: 12, limit: 50 });
    expect(paging({ after: '' })).toEqual({ limit: 50 });
    expect(codeOf(() => paging({ after: '1', before: '2' }))).toBe('400 chat.paging');
    expect(codeOf(() => paging({ after: '-1' }))).toBe('400 chat.paging');
    expect(codeOf(() => paging({ after: ['1', '2'] }))).toBe('400 chat.paging');
    expect(codeOf(() => paging({ limit: '0' }))).toBe('400 chat.limit');
    expect(codeOf(() => paging({ limit: '201' }))).toBe('400 chat.limit');
  });

  it('reads a read mark and a room id', () => {
    expect(readSeq(undefined)).toBeUndefined();
    expect(readSeq(7)).toBe(7);
    expect(codeOf(() => readSeq(1.5))).toBe('400 chat.seq');
    expect(codeOf(() => readSeq('7'))).toBe('400 chat.seq');
    expect(roomIdParam('0190F0E0-0000-7000-8000-000000000000')).toBe('0190f0e0-0000-7000-8000-000000000000');
    expect(codeOf(() => roomIdParam('1'))).toBe('404 chat.room-unknown');
  });
});

describe('the hub', () => {
  const connection = (readyState = 1) => {
    const sent: string[] = [];
    const c: ChatConnection & { sent: string[] } = { sent, readyState, send: (d: string) => void sent.push(d) };
    return c;
  };

  it('sends to the open connections of the professionals named, once each', () => {
    const hub = new ChatHub();
    const a1 = connection();
    const a2 = connection();
    const b = connection();
    const closing = connection(2);
    hub.add('a', a1);
    const removeA2 = hub.add('a', a2);
    hub.add('b', b);
    hub.add('c', closing);
    expect(hub.publish(['a', 'a', 'c', 'z'], { type: 'room', roomId: 'r' })).toBe(2);
    expect(a1.sent).toEqual(['{"type":"room","roomId":"r"}']);
    expect(b.sent).toEqual([]);
    removeA2();
    expect(hub.publish(['a'], { type: 'room', roomId: 'r' })).toBe(1);
    expect(hub.size()).toBe(3);
  });
});
