import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARE_ROLES, type CareRole, type ProfessionalEntry } from '../../../types';
import { ConfirmBox } from './ConfirmBox';
import { AccessHistory, ChangesHistory } from './Histories';
import { accessText, professionalName, professionsText, roleLabel, rolesOpenTo } from './labels';

/** What the patient can do to one professional. */
export type ProfessionalAction =
  | { kind: 'role'; role: CareRole; on: boolean; replace?: boolean }
  | { kind: 'administrator'; on: boolean }
  | { kind: 'block'; on: boolean }
  | { kind: 'remove' }
  | { kind: 'add' };

/** The page runs the action: 'role-taken' when another professional holds the role (409 care.role-taken). */
export type RunAction = (entry: ProfessionalEntry, action: ProfessionalAction) => Promise<'ok' | 'role-taken' | 'error'>;

type Confirming = { kind: 'block' } | { kind: 'remove' } | { kind: 'replace'; role: CareRole } | null;

/** The id of one of a card's buttons, to give the focus back to it after a confirmation. */
export const buttonId = (entry: ProfessionalEntry, what: string): string => `professional-${entry.practitionerId}-${what}`;

const focusSoon = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);

/** One professional: who, where, roles, access status in words, the actions, and the two histories. */
export function ProfessionalCard({
  entry,
  all,
  run,
}: {
  entry: ProfessionalEntry;
  /** Every professional of the record, to name the one who holds a role already. */
  all: ProfessionalEntry[];
  run: RunAction;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [pending, setPending] = useState(false);
  const name = professionalName(t, entry);
  const titleId = `professional-${entry.practitionerId}-name`;
  const openRoles = rolesOpenTo(
    entry.professions.map((p) => p.code),
    CARE_ROLES,
  );
  const blocked = entry.blockedAt !== null || entry.access === 'blocked';
  const hidden = (
    <span className="visually-hidden">
      {' : '}
      {name}
    </span>
  );

  const perform = async (action: ProfessionalAction, focusAfter?: string) => {
    if (pending) return;
    setPending(true);
    const outcome = await run(entry, action);
    setPending(false);
    if (outcome === 'role-taken' && action.kind === 'role') {
      setConfirming({ kind: 'replace', role: action.role });
      return;
    }
    setConfirming(null);
    if (focusAfter) focusSoon(focusAfter);
  };

  const cancel = (focusTo: string) => {
    setConfirming(null);
    focusSoon(focusTo);
  };

  const holderOf = (role: CareRole) =>
    all.find((other) => other.practitionerId !== entry.practitionerId && other.roles.includes(role));

  return (
    <li className="card">
      <article aria-labelledby={titleId}>
        <h3 id={titleId}>{name}</h3>
        {professionsText(entry) && <p>{professionsText(entry)}</p>}
        {entry.situations.length > 0 && (
          <ul className="plain-list meta">
            {entry.situations.map((s) => (
              <li key={s.roleId}>{[s.organizationName, s.city].filter(Boolean).join(', ')}</li>
            ))}
          </ul>
        )}
        <p>
          <strong>{accessText(t, entry)}</strong>
        </p>
        <p>
          {t('professionals.rolesLabel')}{' '}
          {entry.roles.length > 0 ? entry.roles.map((r) => roleLabel(t, r)).join(', ') : t('professionals.noRole')}
          {entry.administrator && (
            <>
              {' · '}
              {t('professionals.administrator')}
            </>
          )}
        </p>

        <div className="button-group button-group--compact" role="group" aria-label={t('professionals.actionsLabel', { name })}>
          {entry.inList ? (
            <>
              {openRoles.map((role) => {
                const held = entry.roles.includes(role);
                return (
                  <button
                    key={role}
                    id={buttonId(entry, role)}
                    type="button"
                    className={held ? 'button button--secondary button--small' : 'button button--primary button--small'}
                    aria-disabled={pending || undefined}
                    onClick={() => void perform({ kind: 'role', role, on: !held }, buttonId(entry, role))}
                  >
                    {held
                      ? t('professionals.actions.removeRole', { role: roleLabel(t, role) })
                      : t('professionals.actions.setRole', { role: roleLabel(t, role) })}
                    {hidden}
                  </button>
                );
              })}
              <button
                key="administrator"
                id={buttonId(entry, 'administrator')}
                type="button"
                className="button button--secondary button--small"
                aria-disabled={pending || undefined}
                onClick={() =>
                  void perform({ kind: 'administrator', on: !entry.administrator }, buttonId(entry, 'administrator'))
                }
              >
                {entry.administrator ? t('professionals.actions.removeAdministrator') : t('professionals.actions.setAdministrator')}
                {hidden}
              </button>
            </>
          ) : (
            <button
              key="add"
              id={buttonId(entry, 'add')}
              type="button"
              className="button button--primary button--small"
              aria-disabled={pending || undefined}
              onClick={() => void perform({ kind: 'add' })}
            >
              {t('professionals.actions.addBack')}
              {hidden}
            </button>
          )}
          <button
            key="block"
            id={buttonId(entry, 'block')}
            type="button"
            className={blocked ? 'button button--secondary button--small' : 'button button--danger button--small'}
            aria-disabled={pending || undefined}
            aria-expanded={blocked ? undefined : confirming?.kind === 'block'}
            onClick={() => {
              if (blocked) void perform({ kind: 'block', on: false }, buttonId(entry, 'block'));
              else setConfirming({ kind: 'block' });
            }}
          >
            {blocked ? t('professionals.actions.unblock') : t('professionals.actions.block')}
            {hidden}
          </button>
          {entry.inList && (
            <button
              key="remove"
              id={buttonId(entry, 'remove')}
              type="button"
              className="button button--secondary button--small"
              aria-disabled={pending || undefined}
              aria-expanded={confirming?.kind === 'remove'}
              onClick={() => setConfirming({ kind: 'remove' })}
            >
              {t('professionals.actions.remove')}
              {hidden}
            </button>
          )}
        </div>

        {confirming?.kind === 'block' && (
          <ConfirmBox
            title={t('professionals.confirm.blockTitle', { name })}
            confirmLabel={t('professionals.confirm.blockConfirm')}
            pending={pending}
            onConfirm={() => void perform({ kind: 'block', on: true }, buttonId(entry, 'block'))}
            onCancel={() => cancel(buttonId(entry, 'block'))}
          >
            <p>{t('professionals.confirm.blockText')}</p>
            <p>{t('professionals.confirm.blockUndo')}</p>
          </ConfirmBox>
        )}
        {confirming?.kind === 'remove' && (
          <ConfirmBox
            title={t('professionals.confirm.removeTitle', { name })}
            confirmLabel={t('professionals.confirm.removeConfirm')}
            pending={pending}
            onConfirm={() => void perform({ kind: 'remove' })}
            onCancel={() => cancel(buttonId(entry, 'remove'))}
          >
            <p>{t('professionals.confirm.removeText')}</p>
          </ConfirmBox>
        )}
        {confirming?.kind === 'replace' && (
          <ConfirmBox
            title={t('professionals.confirm.replaceTitle', { role: roleLabel(t, confirming.role) })}
            confirmLabel={t('professionals.confirm.replaceConfirm')}
            variant="primary"
            pending={pending}
            onConfirm={() =>
              void perform({ kind: 'role', role: confirming.role, on: true, replace: true }, buttonId(entry, confirming.role))
            }
            onCancel={() => cancel(buttonId(entry, confirming.role))}
          >
            <p>
              {(() => {
                const holder = holderOf(confirming.role);
                const role = roleLabel(t, confirming.role);
                return holder
                  ? t('professionals.confirm.replaceText', { holder: professionalName(t, holder), role, name })
                  : t('professionals.confirm.replaceTextUnknown', { role, name });
              })()}
            </p>
          </ConfirmBox>
        )}

        <ChangesHistory entry={entry} name={name} />
        <AccessHistory entry={entry} name={name} />
      </article>
    </li>
  );
}
