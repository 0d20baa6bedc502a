import type { Calendars } from '../../domain/prevention/types.js';
import type { ProfileDeps } from '../profile/deps.js';

/**
 * What the prevention services need: the repository (every read of the record goes through the access policy
 * and is audited), the FHIR base (search parsing), the clock (the day the items are computed for: the server's,
 * never the client's) and, optionally, the calendars (tests may give their own; by default the shipped ones).
 */
export type PreventionDeps = Pick<ProfileDeps, 'repo' | 'fhirBase' | 'clock'> & { calendars?: () => Calendars };
