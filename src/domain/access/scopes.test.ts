import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSmartScope, SCOPE_ACTIONS, scopeCoveredBy, scopesAllow, smartScopesFor, v2Suffixes, type ScopeAction } from './scopes.js';

const READS: ScopeAction[] = ['read', 'search'];
const WRITES: ScopeAction[] = ['create', 'update', 'delete'];
const TYPES = ['Patient', 'Observation', 'DocumentReference', 'Consent', 'Binary'];
const LETTER: Record<ScopeAction, string> = { create: 'c', read: 'r', update: 'u', delete: 'd', search: 's' };

describe('scopesAllow: SMART v1', () => {
  it('user/*.read lets every type be read and searched, nothing written', () => {
    for (const t of TYPES) {
      for (const a of READS) expect(scopesAllow(['user/*.read'], a, t)).toBe(true);
      for (const a of WRITES) expect(scopesAllow(['user/*.read'], a, t)).toBe(false);
    }
  });

  it('user/*.write lets every type be created, updated and deleted, not read', () => {
    for (const a of WRITES) expect(scopesAllow(['user/*.write'], a, 'Observation')).toBe(true);
    for (const a of READS) expect(scopesAllow(['user/*.write'], a, 'Observation')).toBe(false);
  });

  it('user/*.* grants everything on every type', () => {
    for (const t of TYPES) for (const a of SCOPE_ACTIONS) expect(scopesAllow(['user/*.*'], a, t)).toBe(true);
  });

  it('a per-type scope covers that type only, and types are case-sensitive', () => {
    expect(scopesAllow(['user/Patient.read'], 'read', 'Patient')).toBe(true);
    expect(scopesAllow(['user/Patient.read'], 'read', 'Observation')).toBe(false);
    expect(scopesAllow(['user/Patient.read'], 'read', 'patient')).toBe(false);
    expect(scopesAllow(['user/DocumentReference.write'], 'create', 'DocumentReference')).toBe(true);
    expect(scopesAllow(['user/DocumentReference.write'], 'read', 'DocumentReference')).toBe(false);
  });

  it('several scopes add up', () => {
    const scopes = ['openid', 'user/Patient.read', 'user/DocumentReference.write'];
    expect(scopesAllow(scopes, 'search', 'Patient')).toBe(true);
    expect(scopesAllow(scopes, 'update', 'DocumentReference')).toBe(true);
    expect(scopesAllow(scopes, 'update', 'Patient')).toBe(false);
  });
});

describe('scopesAllow: SMART v2', () => {
  it('user/*.rs reads and searches; user/*.cruds does everything', () => {
    expect(scopesAllow(['user/*.rs'], 'read', 'Observation')).toBe(true);
    expect(scopesAllow(['user/*.rs'], 'search', 'Observation')).toBe(true);
    expect(scopesAllow(['user/*.rs'], 'create', 'Observation')).toBe(false);
    for (const a of SCOPE_ACTIONS) expect(scopesAllow(['user/*.cruds'], a, 'Consent')).toBe(true);
  });

  it('each letter grants its own action: r is read without search, s is search without read', () => {
    expect(scopesAllow(['user/Observation.r'], 'read', 'Observation')).toBe(true);
    expect(scopesAllow(['user/Observation.r'], 'search', 'Observation')).toBe(false);
    expect(scopesAllow(['user/Observation.s'], 'search', 'Observation')).toBe(true);
    expect(scopesAllow(['user/Observation.s'], 'read', 'Observation')).toBe(false);
    expect(scopesAllow(['user/Observation.cu'], 'update', 'Observation')).toBe(true);
    expect(scopesAllow(['user/Observation.cu'], 'delete', 'Observation')).toBe(false);
  });

  it('grants nothing for malformed, out-of-order, query-narrowed, other-context or non-SMART scopes', () => {
    const nothing = [
      'openid', 'scope_all', 'offline_access', '', 'user', 'user/', 'user/*', 'user/*.', 'user/.read', 'user/*.rc', 'user/*.rr',
      'user/*.crudsx', 'user/*.READ', 'user/*.readwrite', 'patient/*.read', 'system/*.cruds', 'user/Observation.rs?category=laboratory',
      'user/observation.read', 'user/Obs-ervation.read', ' user/*.read', 'user/*.read ', 'user/**.read', 'user/*.read/x',
    ];
    for (const s of nothing) {
      expect(parseSmartScope(s), s).toBeUndefined();
      for (const a of SCOPE_ACTIONS) expect(scopesAllow([s], a, 'Observation'), s).toBe(false);
    }
  });

  it('no scopes, nothing allowed', () => {
    for (const a of SCOPE_ACTIONS) expect(scopesAllow([], a, 'Patient')).toBe(false);
  });
});

describe('scopesAllow: properties', () => {
  const arbType = fc.oneof(fc.constantFrom(...TYPES), fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/));
  const arbAction = fc.constantFrom(...SCOPE_ACTIONS);
  const arbSuffix = fc.constantFrom('read', 'write', '*', ...v2Suffixes());
  const arbScope = fc.tuple(fc.oneof(fc.constant('*'), arbType), arbSuffix).map(([t, s]) => `user/${t}.${s}`);
  const arbAnyString = fc.string({ maxLength: 40 });

  it('a v2 scope allows exactly the actions of its letters', () => {
    fc.assert(
      fc.property(fc.constantFrom(...v2Suffixes()), arbType, arbAction, (suffix, type, action) => {
        expect(scopesAllow([`user/${type}.${suffix}`], action, type)).toBe(suffix.includes(LETTER[action]));
      }),
    );
  });

  it('v1 and v2 agree: read = rs, write = cud, * = cruds', () => {
    fc.assert(
      fc.property(arbType, arbAction, (type, action) => {
        expect(scopesAllow([`user/${type}.read`], action, type)).toBe(scopesAllow([`user/${type}.rs`], action, type));
        expect(scopesAllow([`user/${type}.write`], action, type)).toBe(scopesAllow([`user/${type}.cud`], action, type));
        expect(scopesAllow([`user/${type}.*`], action, type)).toBe(scopesAllow([`user/${type}.cruds`], action, type));
      }),
    );
  });

  it('a wildcard scope allows at least what the same scope on any one type allows', () => {
    fc.assert(
      fc.property(arbSuffix, arbType, arbAction, (suffix, type, action) => {
        if (scopesAllow([`user/${type}.${suffix}`], action, type)) expect(scopesAllow([`user/*.${suffix}`], action, type)).toBe(true);
      }),
    );
  });

  it('a per-type scope never reaches another type', () => {
    fc.assert(
      fc.property(arbSuffix, arbType, arbType, arbAction, (suffix, type, other, action) => {
        fc.pre(type !== other);
        expect(scopesAllow([`user/${type}.${suffix}`], action, other)).toBe(false);
      }),
    );
  });

  it('adding scopes never takes a permission away (monotonic), and order does not matter', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(arbScope, arbAnyString), { maxLength: 6 }), fc.array(fc.oneof(arbScope, arbAnyString), { maxLength: 6 }), arbAction, arbType, (a, b, action, type) => {
        if (scopesAllow(a, action, type)) expect(scopesAllow([...a, ...b], action, type)).toBe(true);
        expect(scopesAllow([...a, ...b], action, type)).toBe(scopesAllow([...b, ...a], action, type));
        expect(scopesAllow([...a, ...b], action, type)).toBe(scopesAllow(a, action, type) || scopesAllow(b, action, type));
      }),
    );
  });

  it('arbitrary strings that are not user/ scopes grant nothing', () => {
    fc.assert(
      fc.property(arbAnyString, arbAction, arbType, (s, action, type) => {
        fc.pre(!s.startsWith('user/'));
        expect(scopesAllow([s], action, type)).toBe(false);
      }),
    );
  });
});

describe('scopeCoveredBy and smartScopesFor', () => {
  it('a requested scope is covered when every action it names is allowed on its type', () => {
    expect(scopeCoveredBy('user/Patient.read', ['user/*.read'])).toBe(true);
    expect(scopeCoveredBy('user/*.rs', ['user/*.read'])).toBe(true);
    expect(scopeCoveredBy('user/*.read', ['user/Patient.read'])).toBe(false);
    expect(scopeCoveredBy('user/*.cruds', ['user/*.read', 'user/*.write'])).toBe(true);
    expect(scopeCoveredBy('user/*.write', ['user/*.read'])).toBe(false);
    expect(scopeCoveredBy('openid', ['openid', 'user/*.*'])).toBe(false);
  });

  it('lists v1 and the 31 v2 suffixes for each type and the wildcard, every one understood', () => {
    expect(v2Suffixes()).toHaveLength(31);
    expect(new Set(v2Suffixes()).size).toBe(31);
    const all = smartScopesFor(['Patient', 'Observation']);
    expect(all).toHaveLength(3 * 34);
    expect(all).toEqual(expect.arrayContaining(['user/*.read', 'user/*.write', 'user/*.*', 'user/*.rs', 'user/*.cruds', 'user/Patient.read', 'user/Observation.cud']));
    for (const s of all) expect(parseSmartScope(s), s).toBeDefined();
  });
});
