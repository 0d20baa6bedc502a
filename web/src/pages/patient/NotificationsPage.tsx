import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDelete, apiPost, errorMessage } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import { useActing } from '../../acting';
import { useNotifications } from '../../hooks/usePatientData';
import { NotificationItem } from './NotificationItem';
import { NotificationPreferencesForm } from './NotificationPreferencesForm';

export function NotificationsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notifications = useNotifications();
  const { isCarer } = useActing();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const act = async (action: () => Promise<unknown>, done: string) => {
    setStatus(null);
    try {
      await action();
      setStatus({ ok: true, text: done });
    } catch (error) {
      setStatus({ ok: false, text: errorMessage(error) });
    }
    await queryClient.invalidateQueries({ queryKey: ['notifications'] });
  };

  const items = [...(notifications.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <>
      <PageHeading title={t('notifications.title')} />
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>
      {notifications.isPending ? (
        <Loading />
      ) : notifications.isError ? (
        <QueryError error={notifications.error} />
      ) : items.length === 0 ? (
        <p>{t('notifications.empty')}</p>
      ) : (
        <ul className="notification-list" aria-label={t('notifications.listLabel')}>
          {items.map((n) => (
            <NotificationItem
              key={n.id}
              notification={n}
              onRead={() =>
                act(() => apiPost(`/api/notifications/${encodeURIComponent(n.id)}/read`), t('notifications.markedRead'))
              }
              onDelete={() =>
                act(() => apiDelete(`/api/notifications/${encodeURIComponent(n.id)}`), t('notifications.deleted'))
              }
            />
          ))}
        </ul>
      )}
      {isCarer ? <p className="alert alert--info">{t('notifications.prefsCarer')}</p> : <NotificationPreferencesForm />}
    </>
  );
}
