import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading';

/** /pro: the professional space's shell; sign-in with Pro Santé Connect comes with a later issue. */
export function ProPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('pro.title')} />
      <p>{t('pro.intro')}</p>
      <p className="note">{t('pro.soon')}</p>
    </>
  );
}
