import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isSignedIn } from '../../auth';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { spaceOf, useMe } from '../../hooks/useMe';
import type { Me } from '../../types';
import { ProWelcome } from './ProWelcome';

/**
 * The professional space's guard (RequireRole's counterpart for role professional): the welcome page with
 * the Pro Santé Connect button when nobody is signed in, a refusal for another role, the space otherwise.
 */
export function RequirePro({ children }: { children: (me: Me) => ReactNode }) {
  const me = useMe();
  if (!isSignedIn()) return <ProWelcome />;
  if (me.isPending) return <Loading />;
  if (me.isError) return <QueryError error={me.error} />;
  if (spaceOf(me.data.role) !== 'pro') return <NotAProfessional me={me.data} />;
  return <>{children(me.data)}</>;
}

function NotAProfessional({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('guard.forbiddenTitle')} />
      <p>{t('proSpace.guard.notAProfessional')}</p>
      <Link className="button button--primary" to={`/${spaceOf(me.role)}`}>
        {t('guard.goToMySpace')}
      </Link>
    </>
  );
}
