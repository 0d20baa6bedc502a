import type { ProfileDeps } from '../profile/deps.js';

/** The demo patients' directives (issue 8): see docs/profile.md. */
export async function seedDemoDirectives(_deps: ProfileDeps, _now: Date): Promise<void> {}
