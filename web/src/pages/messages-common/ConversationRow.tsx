import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime, isoOrUndefined } from '../../format';
import type { ConversationSummary } from '../../messaging-types';
import { partyNames } from './messagingApi';

/** One conversation of the list: a link named by its subject, who, when, the preview, its state as text. */
export function ConversationRow({
  c,
  busy = false,
  onMove,
  to,
  patient,
}: {
  c: ConversationSummary;
  busy?: boolean;
  onMove?: (folder: 'trash' | 'restore') => void;
  to: string;
  /** For a professional: the patient the conversation is about. */
  patient?: string;
}) {
  const { t } = useTranslation();
  const titleId = `msg-row-${c.id}`;
  return (
    <li className={`card msg-row${c.unread > 0 ? ' msg-row--unread' : ''}`}>
      <article aria-labelledby={titleId}>
        <h3 id={titleId} className="msg-row__title">
          <Link to={to}>{c.subject || t('messaging.list.noSubject')}</Link>
        </h3>
        {(c.unread > 0 || c.drafts > 0 || c.closed) && (
          <ul className="msg-row__badges" aria-label={t('messaging.list.stateLabel')}>
            {c.unread > 0 && <li className="badge msg-badge--unread">{t('messaging.list.unread', { count: c.unread })}</li>}
            {c.drafts > 0 && <li className="badge badge--outline">{t('messaging.list.drafts', { count: c.drafts })}</li>}
            {c.closed && <li className="badge badge--outline">{t('messaging.list.closed')}</li>}
          </ul>
        )}
        <p className="meta">
          {patient && (
            <>
              {t('messaging.list.patient', { name: patient })}
              {' · '}
            </>
          )}
          {partyNames(c.counterparts)}
          {' · '}
          <time dateTime={isoOrUndefined(c.lastMessageAt)}>{formatDateTime(c.lastMessageAt)}</time>
          {' · '}
          {t('messaging.list.messages', { count: c.messages })}
        </p>
        {c.preview && <p className="msg-row__preview">{c.preview}</p>}
        {onMove && (
          <button type="button" className="button button--link" aria-disabled={busy || undefined} onClick={() => onMove(c.trashed ? 'restore' : 'trash')}>
            {c.trashed ? t('messaging.conversation.restore') : t('messaging.conversation.trash')}
            <span className="visually-hidden"> : {c.subject}</span>
          </button>
        )}
      </article>
    </li>
  );
}
