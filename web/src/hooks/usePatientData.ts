import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api';
import { useActing } from '../acting';
import type { Delegations, NotificationList, NotificationPreferences, Child } from '../types';

/** Queries of the patient space, keyed on the acting profile so that switching profile refetches them. */

export function useNotifications() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: ['notifications', actingId],
    queryFn: ({ signal }) => apiGet<NotificationList>('/api/notifications', signal),
  });
}

export function useNotificationPreferences() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: ['notification-preferences', actingId],
    queryFn: ({ signal }) => apiGet<NotificationPreferences>('/api/notifications/preferences', signal),
  });
}

export function useFamily() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: ['family', actingId],
    queryFn: ({ signal }) => apiGet<{ children: Child[] }>('/api/family', signal),
  });
}

export function useDelegations() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: ['delegations', actingId],
    queryFn: async ({ signal }) => {
      const d = await apiGet<Partial<Delegations>>('/api/delegations', signal);
      return {
        carers: d.carers ?? [],
        helped: d.helped ?? [],
        invitationsReceived: d.invitationsReceived ?? [],
        invitationsSent: d.invitationsSent ?? [],
      } satisfies Delegations;
    },
  });
}
