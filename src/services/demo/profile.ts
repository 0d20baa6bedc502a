import type { ProfileDeps } from '../profile/deps.js';

/** The demo patients' profile (issue 8): see docs/profile.md. */
export async function seedDemoProfile(_deps: ProfileDeps, _now: Date): Promise<void> {}
