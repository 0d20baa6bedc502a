import { useTranslation } from 'react-i18next';
import { formatDateTime, isoOrUndefined } from '../../format';
import { categoryLabel, notificationText } from '../../notificationText';
import type { Notification } from '../../types';

/** One notification: title, text, date in Paris, category, unread state and its two actions. */
export function NotificationItem({
  notification: n,
  onRead,
  onDelete,
}: {
  notification: Notification;
  onRead: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const { title, text } = notificationText(t, n);
  const unread = !n.readAt;
  const titleId = `notification-${n.id}-title`;

  return (
    <li className={unread ? 'notification notification--unread' : 'notification'}>
      <article aria-labelledby={titleId}>
        <h2 id={titleId} className="notification__title">
          {unread && <span className="badge">{t('notifications.unreadBadge')}</span>} {title}
        </h2>
        <p>{text}</p>
        <p className="meta">
          <time dateTime={isoOrUndefined(n.createdAt)}>
            {t('notifications.receivedOn', { date: formatDateTime(n.createdAt) })}
          </time>
          {' · '}
          {t('notifications.category', { category: categoryLabel(t, n.category) })}
        </p>
        <div className="button-group button-group--compact">
          {unread && (
            <button type="button" className="button button--secondary button--small" onClick={onRead}>
              {t('notifications.markRead')}
              <span className="visually-hidden"> : {title}</span>
            </button>
          )}
          <button type="button" className="button button--secondary button--small" onClick={onDelete}>
            {t('notifications.delete')}
            <span className="visually-hidden"> : {title}</span>
          </button>
        </div>
      </article>
    </li>
  );
}
