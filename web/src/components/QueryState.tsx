import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api';

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function QueryError({ error }: { error: unknown }) {
  return (
    <p className="alert alert--error" role="alert">
      {errorMessage(error)}
    </p>
  );
}
