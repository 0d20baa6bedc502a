/**
 * SMART on FHIR scopes, as granted to third-party clients (practice software) acting for a signed-in
 * professional: what a token's `scope` lets its holder do. Pure; the access policy asks it on top of its own
 * decision (a scope narrows what the person may do, it never widens it).
 *
 * Understood (user context only: the professional's own rights, narrowed):
 * - SMART v1: `user/<Type|*>.read` (read, search), `user/<Type|*>.write` (create, update, delete),
 *   `user/<Type|*>.*` (all of them);
 * - SMART v2: `user/<Type|*>.<cruds>` where the suffix is a non-empty subsequence of `c r u d s`, in that
 *   order (`c` create, `r` read, `u` update, `d` delete, `s` search), e.g. `user/*.rs`, `user/Observation.cru`.
 *
 * Everything else grants nothing: `openid` and other non-SMART scopes, `patient/` and `system/` contexts,
 * v2 scopes narrowed by a query (`user/Observation.rs?category=…`, not supported: granting the unnarrowed
 * scope instead would be wider than what was asked), suffixes out of order (`user/*.rc`), and malformed types.
 */
export type ScopeAction = 'read' | 'search' | 'create' | 'update' | 'delete';

export const SCOPE_ACTIONS: readonly ScopeAction[] = ['create', 'read', 'update', 'delete', 'search'];

/** One understood SMART scope: the resource type it covers ('*' for all) and the actions it grants. */
export interface SmartScope {
  resourceType: string;
  actions: ReadonlySet<ScopeAction>;
}

const V2_LETTERS: Readonly<Record<string, ScopeAction>> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };
const V1: Readonly<Record<string, readonly ScopeAction[]>> = {
  read: ['read', 'search'],
  write: ['create', 'update', 'delete'],
  '*': ['create', 'read', 'update', 'delete', 'search'],
};
const SCOPE = /^user\/(\*|[A-Z][A-Za-z]{0,63})\.([a-z*]+)$/;
const V2_SUFFIX = /^c?r?u?d?s?$/;

/** Parses one scope; undefined when it grants nothing (see the module comment). */
export function parseSmartScope(scope: string): SmartScope | undefined {
  const m = SCOPE.exec(scope);
  if (!m) return undefined;
  const [, resourceType, suffix] = m as unknown as [string, string, string];
  const v1 = Object.hasOwn(V1, suffix) ? V1[suffix] : undefined;
  if (v1) return { resourceType, actions: new Set(v1) };
  if (!V2_SUFFIX.test(suffix)) return undefined; // out of order, repeated or unknown letters (and the empty string, which the regex excludes)
  return { resourceType, actions: new Set([...suffix].map((c) => V2_LETTERS[c]!)) };
}

/** Whether these scopes let their holder do `action` on resources of `resourceType`. */
export function scopesAllow(scopes: readonly string[], action: ScopeAction, resourceType: string): boolean {
  for (const s of scopes) {
    const parsed = parseSmartScope(s);
    if (parsed && (parsed.resourceType === '*' || parsed.resourceType === resourceType) && parsed.actions.has(action)) return true;
  }
  return false;
}

/**
 * Whether `requested` asks for nothing more than `allowed` grants (every action it names, on its type, is
 * allowed). A request for `user/*.x` needs `*`-type scopes in `allowed`; a non-SMART scope is never covered.
 */
export function scopeCoveredBy(requested: string, allowed: readonly string[]): boolean {
  const parsed = parseSmartScope(requested);
  if (!parsed) return false;
  return [...parsed.actions].every((a) => scopesAllow(allowed, a, parsed.resourceType));
}

/** Every v2 suffix: the 31 non-empty subsequences of `cruds`. */
export function v2Suffixes(): string[] {
  const out: string[] = [];
  for (let mask = 1; mask < 32; mask++) out.push([...'cruds'].filter((_, i) => mask & (1 << i)).join(''));
  return out;
}

/**
 * The SMART scopes a resource server accepts for these resource types: v1 (`read`, `write`, `*`) and every v2
 * suffix, for each type and for `*`.
 */
export function smartScopesFor(resourceTypes: readonly string[]): string[] {
  const suffixes = ['read', 'write', '*', ...v2Suffixes()];
  return ['*', ...resourceTypes].flatMap((t) => suffixes.map((s) => `user/${t}.${s}`));
}
