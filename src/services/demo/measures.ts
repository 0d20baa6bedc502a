import type { ProfileDeps } from '../profile/deps.js';

/** The demo patients' measures (issue 8): see docs/profile.md. */
export async function seedDemoMeasures(_deps: ProfileDeps, _now: Date): Promise<void> {}
