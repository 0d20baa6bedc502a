import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatCivilDate, formatDate } from '../../../format';
import { useFamily } from '../../../hooks/usePatientData';
import { personName } from '../../../people';
import { SecondParentForm } from './SecondParentForm';

export function ChildrenSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const family = useFamily();
  const [openFor, setOpenFor] = useState<string | null>(null);
  const children = family.data?.children ?? [];

  return (
    <section aria-labelledby="children-title" className="panel">
      <h2 id="children-title">{t('family.childrenTitle')}</h2>
      {family.isPending ? (
        <Loading />
      ) : family.isError ? (
        <QueryError error={family.error} />
      ) : children.length === 0 ? (
        <p>{t('family.noChildren')}</p>
      ) : (
        <ul className="plain-list">
          {children.map((child) => {
            const name = personName(child);
            const formId = `second-parent-${child.patientId}`;
            const representatives = (child.representatives ?? []).map(personName).filter(Boolean);
            return (
              <li key={child.patientId} className="card">
                <h3>{name}</h3>
                <p>
                  {child.birthDate && t('common.bornOn', { date: formatCivilDate(child.birthDate) })}
                  {child.state && (
                    <>
                      {' · '}
                      {t('family.childState', { state: t(`states.${child.state}`, { defaultValue: child.state }) })}
                    </>
                  )}
                </p>
                <p>
                  {t('family.representatives')} {representatives.length > 0 ? representatives.join(', ') : t('common.none')}
                </p>
                {(child.pendingInvitations ?? []).map((invitation) => (
                  <p key={invitation.id} className="meta">
                    {t('family.pendingSecondParent', { name: invitation.name, date: formatDate(invitation.expiresAt) })}
                  </p>
                ))}
                {canManage && child.canInviteSecondParent !== false && (
                  <>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-expanded={openFor === child.patientId}
                      aria-controls={formId}
                      onClick={() => setOpenFor(openFor === child.patientId ? null : child.patientId)}
                    >
                      {t('family.inviteSecondParent')}
                      <span className="visually-hidden"> ({name})</span>
                    </button>
                    {openFor === child.patientId && (
                      <SecondParentForm id={formId} child={child} childName={name} />
                    )}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
