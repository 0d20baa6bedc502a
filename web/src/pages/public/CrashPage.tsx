import { useTranslation } from 'react-i18next';

/** The router's error element: a rendering error, outside any shell. */
export function CrashPage() {
  const { t } = useTranslation();
  return (
    <main id="main" className="container site-main">
      <h1>{t('crash.title')}</h1>
      <p>{t('crash.text')}</p>
      <a href="/">{t('common.backHome')}</a>
    </main>
  );
}
