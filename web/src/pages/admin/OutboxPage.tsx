import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiGet } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import { formatDateTime, isoOrUndefined } from '../../format';
import type { OutboxMail } from '../../types';

/** /admin/courriels: the demo mail catcher, newest first. */
export function OutboxPage() {
  const { t } = useTranslation();
  const outbox = useQuery({
    queryKey: ['admin', 'outbox'],
    queryFn: async ({ signal }) => {
      const answer = await apiGet<OutboxMail[] | { items?: OutboxMail[] }>('/api/admin/outbox', signal);
      const mails = Array.isArray(answer) ? answer : (answer.items ?? []);
      return [...mails].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    },
  });

  return (
    <>
      <PageHeading title={t('admin.outboxTitle')} />
      <p>{t('admin.outboxIntro')}</p>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void outbox.refetch()}
        aria-disabled={outbox.isFetching || undefined}
      >
        {t('admin.refresh')}
      </button>
      <StatusMessage>{outbox.isFetching && !outbox.isPending && t('common.loading')}</StatusMessage>
      {outbox.isPending ? (
        <Loading />
      ) : outbox.isError ? (
        <QueryError error={outbox.error} />
      ) : outbox.data.length === 0 ? (
        <p>{t('admin.outboxEmpty')}</p>
      ) : (
        <ul className="plain-list mail-list" aria-label={t('admin.mailsLabel')}>
          {outbox.data.map((mail, i) => {
            const titleId = `mail-${i}-title`;
            return (
              <li key={mail.id ?? i} className="card">
                <article aria-labelledby={titleId}>
                  <h2 id={titleId} className="mail__subject">
                    {mail.subject}
                  </h2>
                  <p className="meta">
                    {t('admin.mailTo', { to: mail.to ?? mail.toAddress ?? '' })}
                    <br />
                    <time dateTime={isoOrUndefined(mail.createdAt)}>
                      {t('admin.mailDate', { date: formatDateTime(mail.createdAt) })}
                    </time>
                  </p>
                  <pre className="mail__body" tabIndex={0} role="region" aria-label={t('admin.mailBody')}>{mail.text ?? mail.bodyText ?? mail.body ?? ''}</pre>
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
