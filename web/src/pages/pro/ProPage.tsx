import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { PatientSearch } from './PatientSearch';
import { useProMe } from './usePro';

/** /pro: who is signed in and in which practice situation, and the patient search. */
export function ProPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('proSpace.home.title')} />
      <PracticeSummary />
      <PatientSearch />
    </>
  );
}

/** The signed-in professional and the practice situation chosen at sign-in (GET /api/pro/me). */
function PracticeSummary() {
  const { t } = useTranslation();
  const me = useProMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <QueryError error={me.error} />;
  const practice = me.data.practice;
  return (
    <section aria-labelledby="practice-title" className="panel">
      <h2 id="practice-title">{t('proSpace.home.whoTitle')}</h2>
      <p>{t('proSpace.home.signedInAs', { name: me.data.displayName })}</p>
      {practice ? (
        <dl className="details">
          <dt>{t('proSpace.home.profession')}</dt>
          <dd>{practice.professionLabel ?? practice.professionCode}</dd>
          {practice.skillLabel && (
            <>
              <dt>{t('proSpace.home.specialty')}</dt>
              <dd>{practice.skillLabel}</dd>
            </>
          )}
          <dt>{t('proSpace.home.structure')}</dt>
          <dd>{practice.organizationName ?? t('proSpace.home.noStructure')}</dd>
        </dl>
      ) : (
        <p>{t('proSpace.home.noPractice')}</p>
      )}
    </section>
  );
}
