import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { apiPost, errorMessage } from '../../../api';
import { useActing } from '../../../acting';
import { CheckboxField } from '../../../components/CheckboxField';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import type { ConversationSummary } from '../../../messaging-types';
import { ConversationRow } from '../../messages-common/ConversationRow';
import { Pager } from '../../messages-common/Pager';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { PATIENT_MESSAGES_KEY } from '../../messages-common/messagingApi';
import { formatSize } from '../documents/labels';
import type { ComposeOutcome } from './ComposeForm';
import { Conversation } from './Conversation';
import { NewMessage } from './NewMessage';
import { conversationPath, PAGE_SIZE, useInbox, type InboxFilter } from './useMessages';

/**
 * /patient/messages and /patient/messages/:conversationId, "Messagerie": the acting profile's address, its
 * conversations (inbox or trash, all or unread only, 50 per page) with their unread counts, a new message;
 * one conversation when its id is in the path.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<InboxFilter>({ folder: 'inbox', unread: false, page: 1 });
  const inbox = useInbox(filter);
  const { announce, statusMessage } = useAnnouncer();
  const [writing, setWriting] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  // another profile, another inbox
  useEffect(() => {
    setFilter((f) => ({ ...f, page: 1 }));
    setWriting(false);
  }, [actingId]);

  const data = inbox.data;

  const afterNew = async (o: ComposeOutcome) => {
    setWriting(false);
    await queryClient.invalidateQueries({ queryKey: [PATIENT_MESSAGES_KEY, actingId] });
    const text = t(o.draft ? 'messaging.done.draftSaved' : 'messaging.done.sent');
    if (o.result?.conversationId) void navigate(`/patient/messages/${encodeURIComponent(o.result.conversationId)}`, { state: { status: text } });
    else announce(text);
  };

  const move = async (c: ConversationSummary, folder: 'trash' | 'restore') => {
    if (busy) return;
    setBusy(c.id);
    try {
      await apiPost(`${conversationPath(c.id)}/${folder}`);
      await queryClient.invalidateQueries({ queryKey: [PATIENT_MESSAGES_KEY, actingId] });
      announce(t(folder === 'trash' ? 'messaging.done.trashed' : 'messaging.done.restored', { subject: c.subject }));
      window.setTimeout(() => document.getElementById('msg-list-title')?.focus(), 50);
    } catch (e) {
      announce(errorMessage(e), false);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeading title={t('messaging.title')} />
      {data && (
        <p className="msg-address">
          {t('messaging.address')} <strong className="msg-address__value">{data.address}</strong>
        </p>
      )}
      {statusMessage}

      {conversationId ? (
        <Conversation key={`${actingId}-${conversationId}`} conversationId={conversationId} announce={announce} />
      ) : (
        <>
          <p>{t('messaging.intro')}</p>
          {data && (
            <p className="meta">
              {t('messaging.quota', { used: formatSize(t, data.quota.used), limit: formatSize(t, data.quota.limit) })}
            </p>
          )}
          {writing ? (
            <NewMessage
              onDone={afterNew}
              onCancel={() => {
                setWriting(false);
                window.setTimeout(() => document.getElementById('msg-new-open')?.focus(), 0);
              }}
            />
          ) : (
            <p>
              <button
                id="msg-new-open"
                type="button"
                className="button button--primary"
                onClick={() => {
                  setWriting(true);
                  window.setTimeout(() => document.getElementById('msg-new-title')?.focus(), 0);
                }}
              >
                {t('messaging.new.open')}
              </button>
            </p>
          )}

          <section aria-labelledby="msg-list-title" className="panel">
            <h2 id="msg-list-title" tabIndex={-1}>
              {filter.folder === 'trash' ? t('messaging.list.trashTitle') : t('messaging.list.inboxTitle')}
            </h2>
            <div className="msg-filters">
              <div className="msg-folders" role="group" aria-label={t('messaging.list.folders')}>
                {(['inbox', 'trash'] as const).map((folder) => (
                  <button
                    key={folder}
                    type="button"
                    className="button button--secondary button--small"
                    aria-pressed={filter.folder === folder}
                    onClick={() => setFilter((f) => ({ ...f, folder, page: 1 }))}
                  >
                    {folder === 'inbox'
                      ? data
                        ? t('messaging.list.inboxWithUnread', { count: data.unread })
                        : t('messaging.list.inbox')
                      : t('messaging.list.trash')}
                  </button>
                ))}
              </div>
              <CheckboxField
                id="msg-unread-only"
                label={t('messaging.list.unreadOnly')}
                checked={filter.unread}
                onChange={(e) => setFilter((f) => ({ ...f, unread: e.target.checked, page: 1 }))}
              />
            </div>
            {inbox.isPending ? (
              <Loading />
            ) : inbox.isError ? (
              <QueryError error={inbox.error} />
            ) : (
              <>
                <p className="meta" aria-live="polite">
                  {inbox.isFetching && inbox.isPlaceholderData
                    ? t('common.loading')
                    : t(filter.unread ? 'messaging.list.countUnread' : 'messaging.list.count', { count: data!.total })}
                </p>
                {data!.items.length === 0 ? (
                  <p>{filter.unread ? t('messaging.list.emptyUnread') : filter.folder === 'trash' ? t('messaging.list.emptyTrash') : t('messaging.list.empty')}</p>
                ) : (
                  <ul className="plain-list msg-list">
                    {data!.items.map((c) => (
                      <ConversationRow key={c.id} c={c} to={`/patient/messages/${encodeURIComponent(c.id)}`} busy={busy === c.id} onMove={(folder) => void move(c, folder)} />
                    ))}
                  </ul>
                )}
                <Pager
                  label={t('messaging.pager.label')}
                  page={data!.page}
                  pageSize={data!.pageSize || PAGE_SIZE}
                  total={data!.total}
                  onPage={(page) => {
                    setFilter((f) => ({ ...f, page }));
                    document.getElementById('msg-list-title')?.focus();
                  }}
                />
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}
