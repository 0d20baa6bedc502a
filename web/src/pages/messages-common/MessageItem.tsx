import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api';
import { formatDateTime, isoOrUndefined } from '../../format';
import type { AttachmentView, MessageView } from '../../messaging-types';
import { formatSize } from '../patient/documents/labels';
import { downloadAttachment, partyText } from './messagingApi';

/** The note of a message a relative wrote: the API gives either the whole sentence or the writer's name. */
export function onBehalfText(t: (key: string, o?: Record<string, unknown>) => string, onBehalf: string): string {
  return /^ce message/i.test(onBehalf.trim()) ? onBehalf : t('messaging.message.onBehalf', { who: onBehalf });
}

export const messageElementId = (message: Pick<MessageView, 'id'>, part: string): string => `msg-${message.id}-${part}`;

/**
 * One message of a conversation: who wrote it, to whom, when, its text with its line breaks, its attachments
 * (download, and what the page adds: filing into the documents), the "written by" note, the end of the exchange.
 */
export function MessageItem({
  message,
  attachmentPath,
  attachmentActions,
  headingLevel: Heading = 'h3',
  children,
}: {
  message: MessageView;
  /** Where an attachment's bytes are read. */
  attachmentPath: (message: MessageView, attachment: AttachmentView) => string;
  /** More actions on an attachment (e.g. "Ajouter à mes documents"). */
  attachmentActions?: (message: MessageView, attachment: AttachmentView) => ReactNode;
  headingLevel?: 'h3' | 'h4';
  /** Below the message (e.g. a draft's editor). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = (part: string) => messageElementId(message, part);
  const when = message.sentAt;
  const SubHeading = Heading === 'h3' ? 'h4' : 'h5';
  return (
    <li className={`card msg-message${message.draft ? ' msg-message--draft' : ''}`}>
      <article aria-labelledby={id('title')}>
        <Heading id={id('title')} className="msg-message__title" tabIndex={-1}>
          {message.draft
            ? t('messaging.message.draftTitle')
            : t(message.direction === 'out' ? 'messaging.message.titleOut' : 'messaging.message.titleIn', {
                from: message.from.display || message.from.address,
              })}
        </Heading>
        <dl className="msg-headers">
          <dt>{t('messaging.message.from')}</dt>
          <dd>{partyText(message.from)}</dd>
          <dt>{t('messaging.message.to')}</dt>
          <dd>{message.to.map(partyText).join(', ') || t('common.none')}</dd>
          {message.cc.length > 0 && (
            <>
              <dt>{t('messaging.message.cc')}</dt>
              <dd>{message.cc.map(partyText).join(', ')}</dd>
            </>
          )}
          <dt>{message.draft ? t('messaging.message.status') : t('messaging.message.date')}</dt>
          <dd>
            {when ? <time dateTime={isoOrUndefined(when)}>{formatDateTime(when)}</time> : t('messaging.message.notSent')}
          </dd>
          {message.direction === 'out' && !message.draft && (
            <>
              <dt>{t('messaging.message.read')}</dt>
              <dd>
                {message.readAt ? (
                  <time dateTime={isoOrUndefined(message.readAt)}>{t('messaging.message.readAt', { date: formatDateTime(message.readAt) })}</time>
                ) : (
                  t('messaging.message.notRead')
                )}
              </dd>
            </>
          )}
        </dl>
        {message.onBehalf && <p className="note msg-onbehalf">{onBehalfText(t, message.onBehalf)}</p>}
        <div className="msg-text">{message.text}</div>
        {message.attachments.length > 0 && (
          <div className="msg-attachments">
            <SubHeading id={id('attachments')} className="msg-attachments__title">
              {t('messaging.message.attachments', { count: message.attachments.length })}
            </SubHeading>
            <ul className="plain-list" aria-labelledby={id('attachments')}>
              {message.attachments.map((a) => (
                <AttachmentItem key={a.index} message={message} attachment={a} path={attachmentPath(message, a)}>
                  {attachmentActions?.(message, a)}
                </AttachmentItem>
              ))}
            </ul>
          </div>
        )}
        {message.ends && (
          <p className="note msg-ended">{t('messaging.conversation.endedBy', { who: message.from.display || message.from.address })}</p>
        )}
        {children}
      </article>
    </li>
  );
}

function AttachmentItem({
  message,
  attachment,
  path,
  children,
}: {
  message: MessageView;
  attachment: AttachmentView;
  path: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await downloadAttachment(path, attachment.filename);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };
  return (
    <li className="msg-attachment">
      <p className="msg-attachment__name">
        <span className="msg-attachment__file">{attachment.filename}</span>{' '}
        <span className="meta">
          ({attachment.xdm ? t('messaging.attachment.xdm') : attachment.contentType}, {formatSize(t, attachment.size)})
        </span>
      </p>
      <div className="button-group button-group--compact">
        <button
          id={messageElementId(message, `download-${attachment.index}`)}
          type="button"
          className="button button--secondary button--small"
          aria-disabled={pending || undefined}
          onClick={() => void download()}
        >
          {t('messaging.attachment.download')}
          <span className="visually-hidden"> : {attachment.filename}</span>
        </button>
      </div>
      {error && (
        <p className="text-error" role="alert">
          {error}
        </p>
      )}
      {children}
    </li>
  );
}
