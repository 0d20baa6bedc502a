import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isSignedIn, startSignIn } from '../auth';
import { spaceOf, useMe } from '../hooks/useMe';
import type { Me } from '../types';
import { PageHeading } from './PageHeading';
import { Loading, QueryError } from './QueryState';

/** Renders its children for a signed-in account of the space's role, otherwise says what to do. */
export function RequireRole({
  space,
  children,
}: {
  space: 'patient' | 'admin';
  children: (me: Me) => ReactNode;
}) {
  const me = useMe();
  if (!isSignedIn()) return <SignInRequired />;
  if (me.isPending) return <Loading />;
  if (me.isError) return <QueryError error={me.error} />;
  if (spaceOf(me.data.role) !== space) return <Forbidden me={me.data} />;
  return <>{children(me.data)}</>;
}

function SignInRequired() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('guard.signInTitle')} />
      <p>{t('guard.signInText')}</p>
      <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
        {t('common.signIn')}
      </button>
    </>
  );
}

function Forbidden({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('guard.forbiddenTitle')} />
      <p>{t('guard.forbiddenText')}</p>
      <Link className="button button--primary" to={`/${spaceOf(me.role)}`}>
        {t('guard.goToMySpace')}
      </Link>
    </>
  );
}
