import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../../components/PageHeading';

/** Placeholder until the page lands (issue 8). */
export function DirectivesPage() {
  const { t } = useTranslation();
  return <PageHeading title={t('profile.nav')} />;
}
