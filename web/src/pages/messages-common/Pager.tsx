import { useTranslation } from 'react-i18next';

/** "Page 2 sur 5" with previous and next buttons; nothing when everything fits one page. */
export function Pager({ label, page, pageSize, total, onPage }: { label: string; page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="msg-pager">
      <button type="button" className="button button--secondary button--small" aria-disabled={page <= 1 || undefined} onClick={() => page > 1 && onPage(page - 1)}>
        {t('messaging.pager.previous')}
      </button>
      <p className="msg-pager__where" aria-current="page">
        {t('messaging.pager.where', { page, pages })}
      </p>
      <button type="button" className="button button--secondary button--small" aria-disabled={page >= pages || undefined} onClick={() => page < pages && onPage(page + 1)}>
        {t('messaging.pager.next')}
      </button>
    </nav>
  );
}
