import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api';
import { isSignedIn } from '../auth';
import type { Me } from '../types';

export const ME_KEY = ['me'] as const;

/** The signed-in account (GET /api/me). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => apiGet<Me>('/api/me', signal),
    enabled: isSignedIn(),
    staleTime: 5 * 60_000,
  });
}

/** The space a role belongs to. */
export function spaceOf(role: string): 'patient' | 'admin' | 'pro' {
  if (role === 'operator') return 'admin';
  if (role === 'professional' || role === 'practitioner') return 'pro';
  return 'patient';
}
