/** The profile the signed-in person acts for in the patient space (own, a child's, a helped person's). */
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { getActingFor, setActingFor } from './session';
import type { Profile } from './types';

export interface Acting {
  profile: Profile | undefined;
  profiles: Profile[];
  /** The patient id to key queries on ('' when the account has no profile). */
  actingId: string;
  /** The person acts as a carer: closing, downloading and sharing are not theirs to do. */
  isCarer: boolean;
  /** The person acts for their own profile (carers are invited from there only). */
  isSelf: boolean;
  setActing: (patientId: string) => void;
}

const ActingContext = createContext<Acting | null>(null);

export const profileName = (p: Pick<Profile, 'givenName' | 'familyName'>): string =>
  [p.givenName, p.familyName].filter(Boolean).join(' ');

function ownProfile(profiles: Profile[]): Profile | undefined {
  return profiles.find((p) => p.relation === 'self') ?? profiles[0];
}

export function ActingProvider({ profiles, children }: { profiles: Profile[]; children: ReactNode }) {
  const [chosen, setChosen] = useState<string | null>(() => getActingFor());
  const profile = profiles.find((p) => p.patientId === chosen) ?? ownProfile(profiles);

  // Keep the stored choice valid (a profile may have gone, e.g. a revoked delegation). Done while rendering,
  // idempotently, because the children's queries start before any effect of this component runs.
  const resolvedId = profile?.patientId ?? null;
  if (getActingFor() !== resolvedId) setActingFor(resolvedId);

  const setActing = useCallback((patientId: string) => {
    setActingFor(patientId); // before the re-render, so that the next requests carry it
    setChosen(patientId);
  }, []);

  const value = useMemo<Acting>(
    () => ({
      profile,
      profiles,
      actingId: profile?.patientId ?? '',
      isCarer: profile?.relation === 'carer',
      isSelf: profile?.relation === 'self',
      setActing,
    }),
    [profile, profiles, setActing],
  );
  return <ActingContext.Provider value={value}>{children}</ActingContext.Provider>;
}

export function useActing(): Acting {
  const value = useContext(ActingContext);
  if (!value) throw new Error('useActing outside the patient space');
  return value;
}
