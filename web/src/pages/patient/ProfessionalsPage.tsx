import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiDelete, apiPost, apiPut, errorMessage } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import type { ProfessionalEntry } from '../../types';
import { DirectorySearch } from './professionals/DirectorySearch';
import { professionalName, roleLabel } from './professionals/labels';
import { ProfessionalCard, type ProfessionalAction, type RunAction } from './professionals/ProfessionalCard';
import { PROFESSIONALS_KEY, useProfessionals } from './professionals/useProfessionals';

/**
 * /patient/professionnels: the professionals of the acting profile (their roles, administrator, blocks, access
 * status and histories), those who had access, and the directory search to add one.
 */
export function ProfessionalsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const professionals = useProfessionals();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const all = professionals.data ?? [];
  const inList = all.filter((p) => p.inList);
  const others = all.filter((p) => !p.inList);

  const run: RunAction = async (entry, action) => {
    setStatus(null);
    const name = professionalName(t, entry);
    const base = `/api/professionals/${encodeURIComponent(entry.practitionerId)}`;
    try {
      const text = await perform(base, entry, action, name);
      setStatus({ ok: true, text });
      return 'ok';
    } catch (error) {
      if (error instanceof ApiError && error.code === 'care.role-taken') return 'role-taken';
      setStatus({ ok: false, text: errorMessage(error) });
      return 'error';
    } finally {
      await queryClient.invalidateQueries({ queryKey: [PROFESSIONALS_KEY] });
      if (action.kind === 'remove' || action.kind === 'add') document.getElementById('professionals-list-title')?.focus();
    }
  };

  /** Sends the action; returns what to tell the person. */
  const perform = async (base: string, entry: ProfessionalEntry, action: ProfessionalAction, name: string) => {
    switch (action.kind) {
      case 'role': {
        const role = roleLabel(t, action.role);
        const path = `${base}/roles/${action.role}`;
        if (!action.on) {
          await apiDelete(path);
          return t('professionals.done.roleRemoved', { name, role });
        }
        const previous = action.replace
          ? all.find((p) => p.practitionerId !== entry.practitionerId && p.roles.includes(action.role))
          : undefined;
        await apiPut(path, action.replace ? { replace: true } : {});
        return previous
          ? t('professionals.done.roleReplaced', { name, role, previous: professionalName(t, previous) })
          : t('professionals.done.roleSet', { name, role });
      }
      case 'administrator':
        if (action.on) await apiPut(`${base}/administrator`, {});
        else await apiDelete(`${base}/administrator`);
        return t(action.on ? 'professionals.done.administratorSet' : 'professionals.done.administratorRemoved', { name });
      case 'block':
        if (action.on) await apiPut(`${base}/block`, {});
        else await apiDelete(`${base}/block`);
        return t(action.on ? 'professionals.done.blocked' : 'professionals.done.unblocked', { name });
      case 'remove':
        await apiDelete(base);
        return t('professionals.done.removed', { name });
      case 'add':
        await apiPost('/api/professionals', { practitionerId: entry.practitionerId });
        return t('professionals.done.added', { name });
    }
  };

  return (
    <>
      <PageHeading title={t('professionals.title')} />
      <p>{t('professionals.intro')}</p>
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>
      <section aria-labelledby="professionals-list-title" className="panel">
        <h2 id="professionals-list-title" tabIndex={-1}>
          {t('professionals.listTitle')}
        </h2>
        {professionals.isPending ? (
          <Loading />
        ) : professionals.isError ? (
          <QueryError error={professionals.error} />
        ) : inList.length === 0 ? (
          <p>{t('professionals.listEmpty')}</p>
        ) : (
          <ul className="plain-list">
            {inList.map((entry) => (
              <ProfessionalCard key={entry.practitionerId} entry={entry} all={all} run={run} />
            ))}
          </ul>
        )}
      </section>
      {others.length > 0 && (
        <section aria-labelledby="professionals-others-title" className="panel">
          <h2 id="professionals-others-title">{t('professionals.othersTitle')}</h2>
          <p>{t('professionals.othersIntro')}</p>
          <ul className="plain-list">
            {others.map((entry) => (
              <ProfessionalCard key={entry.practitionerId} entry={entry} all={all} run={run} />
            ))}
          </ul>
        </section>
      )}
      <DirectorySearch />
    </>
  );
}
