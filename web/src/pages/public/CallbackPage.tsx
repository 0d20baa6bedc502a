import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api';
import { completeSignIn, homeFor, SignInError, startSignIn } from '../../auth';
import { PageHeading } from '../../components/PageHeading';
import { ME_KEY } from '../../hooks/useMe';

/** /callback: finishes the OpenID Connect sign-in and goes to the account's space. */
export function CallbackPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    completeSignIn(new URLSearchParams(window.location.search))
      .then((me) => {
        if (cancelled) return;
        queryClient.clear();
        queryClient.setQueryData(ME_KEY, me);
        navigate(homeFor(me.role), { replace: true });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        setFailure(error instanceof SignInError ? t(`callback.errors.${error.reason}`) : errorMessage(error));
      });
    return () => {
      cancelled = true;
    };
  }, [navigate, queryClient, t]);

  if (failure) {
    return (
      <>
        <PageHeading title={t('callback.failedTitle')} />
        <p className="alert alert--error" role="alert">
          {failure}
        </p>
        <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
          {t('callback.retry')}
        </button>
      </>
    );
  }
  return (
    <>
      <PageHeading title={t('callback.title')} />
      <p role="status">{t('callback.working')}</p>
    </>
  );
}
