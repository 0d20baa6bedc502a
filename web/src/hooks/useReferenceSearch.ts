import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Drug, VaccineRef } from '../profile-types';

/**
 * Searches of the reference data (GET /api/reference/...), for the patient's profile forms and the
 * professional's vaccination form alike: the reference lists are nobody's health data, so the requests never
 * carry X-Acting-For.
 */

/** A value that follows `value` after `delay` ms without change (the search fields). */
export function useDebounced<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

/** The vaccines of the reference list matching what was typed (all of them for an empty text). */
export function useVaccineSearch(q: string) {
  const query = useDebounced(q.trim());
  return useQuery({
    queryKey: ['reference', 'vaccines', query],
    queryFn: ({ signal }) => api<{ vaccines: VaccineRef[] }>(`/api/reference/vaccines?q=${encodeURIComponent(query)}`, { signal, acting: false }),
    staleTime: 5 * 60_000,
  });
}

/** The drugs matching a name or a CIP code (from 2 characters). */
export function useDrugSearch(q: string) {
  const query = useDebounced(q.trim());
  return useQuery({
    queryKey: ['reference', 'drugs', query],
    queryFn: ({ signal }) => api<{ drugs: Drug[] }>(`/api/reference/drugs?q=${encodeURIComponent(query)}`, { signal, acting: false }),
    enabled: query.length >= 2,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
