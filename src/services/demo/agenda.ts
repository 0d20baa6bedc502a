import type { ProfileDeps } from '../profile/deps.js';

/** The demo patients' agenda (issue 8): see docs/profile.md. */
export async function seedDemoAgenda(_deps: ProfileDeps, _now: Date): Promise<void> {}
