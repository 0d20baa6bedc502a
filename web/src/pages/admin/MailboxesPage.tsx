import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGet, apiPost, errorMessage } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { Pager } from '../messages-common/Pager';
import { CreateMailboxForm } from './mailboxes/CreateMailboxForm';
import { MailboxesTable } from './mailboxes/MailboxesTable';
import type { OperatorMailbox, OperatorMailboxPage } from './mailboxes/types';

const PAGE_SIZE = 20;

/**
 * /admin/boites: the professional mailboxes the operator creates (issue 7) — the ones the directory does not
 * list (APP, CAB) or misses (PER, ORG). A creation form, then the list with a search, each mailbox activated
 * or deactivated from its row.
 */
export function MailboxesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);

  const list = useQuery({
    queryKey: ['admin', 'mailboxes', q, page],
    queryFn: ({ signal }) =>
      apiGet<OperatorMailboxPage>(`/api/admin/mailboxes?${new URLSearchParams({ q, page: String(page), pageSize: String(PAGE_SIZE) }).toString()}`, signal),
    placeholderData: keepPreviousData,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'mailboxes'] });

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    setOutcome(null);
    setPage(1);
    if (value === q) void list.refetch();
    setQ(value);
  };

  const onCreated = async () => {
    // the newest first: the new mailbox shows at the top of the unfiltered list
    setOutcome(null);
    setText('');
    setQ('');
    setPage(1);
    await refresh();
  };

  const onToggle = async (mailbox: OperatorMailbox) => {
    const action = mailbox.active ? 'deactivate' : 'activate';
    setBusy(mailbox.address);
    setOutcome(null);
    try {
      await apiPost(`/api/admin/mailboxes/${encodeURIComponent(mailbox.address)}/${action}`);
      await refresh();
      setOutcome({
        ok: true,
        message: t(mailbox.active ? 'messagingAdmin.list.deactivated' : 'messagingAdmin.list.activated', { address: mailbox.address }),
      });
    } catch (error) {
      setOutcome({ ok: false, message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const data = list.data;

  return (
    <>
      <PageHeading title={t('messagingAdmin.title')} />
      <p>{t('messagingAdmin.intro')}</p>

      <CreateMailboxForm onCreated={onCreated} />

      <section aria-labelledby="mbx-list-title">
        <h2 id="mbx-list-title">{t('messagingAdmin.list.title')}</h2>
        <form noValidate onSubmit={onSearch} role="search" aria-label={t('messagingAdmin.list.search')}>
          <TextField
            id="mbx-search"
            label={t('messagingAdmin.list.searchLabel')}
            hint={t('messagingAdmin.list.searchHint')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
          />
          <SubmitButton pending={list.isFetching}>{t('messagingAdmin.list.searchSubmit')}</SubmitButton>
        </form>

        <StatusMessage>
          {outcome?.ok
            ? outcome.message
            : data && !list.isPlaceholderData
              ? q
                ? t('messagingAdmin.list.countFor', { count: data.total, q })
                : t('messagingAdmin.list.count', { count: data.total })
              : null}
        </StatusMessage>
        {outcome && !outcome.ok && (
          <p className="alert alert--error" role="alert">
            {outcome.message}
          </p>
        )}

        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <QueryError error={list.error} />
        ) : list.data.items.length === 0 ? (
          <p>{q ? t('messagingAdmin.list.noMatch', { q }) : t('messagingAdmin.list.empty')}</p>
        ) : (
          <>
            <MailboxesTable mailboxes={list.data.items} busy={busy} onToggle={(m) => void onToggle(m)} />
            <Pager
              label={t('messagingAdmin.list.pager')}
              page={list.data.page}
              pageSize={list.data.pageSize}
              total={list.data.total}
              onPage={(p) => {
                setOutcome(null);
                setPage(p);
              }}
            />
          </>
        )}
      </section>
    </>
  );
}
