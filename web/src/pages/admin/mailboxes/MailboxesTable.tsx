import { useTranslation } from 'react-i18next';
import { TableScroller } from '../../../components/TableScroller';
import type { OperatorMailbox } from './types';

/**
 * The operator's mailboxes: kind, address, name, owner, officine, state, and a button that activates or
 * deactivates each (its accessible name, with the row's address, says which mailbox; `busy` is the address
 * being changed). No visually hidden text in the cells: positioned absolutely outside the scroller's
 * containing block, it would widen the page on a phone.
 */
export function MailboxesTable({
  mailboxes,
  busy,
  onToggle,
}: {
  mailboxes: OperatorMailbox[];
  busy: string | null;
  onToggle: (mailbox: OperatorMailbox) => void;
}) {
  const { t } = useTranslation();
  return (
    <TableScroller label={t('messagingAdmin.list.caption')}>
      <table>
        <caption className="visually-hidden">{t('messagingAdmin.list.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('messagingAdmin.list.address')}</th>
            <th scope="col">{t('messagingAdmin.list.kind')}</th>
            <th scope="col">{t('messagingAdmin.list.name')}</th>
            <th scope="col">{t('messagingAdmin.list.owner')}</th>
            <th scope="col">{t('messagingAdmin.list.pharmacy')}</th>
            <th scope="col">{t('messagingAdmin.list.state')}</th>
            <th scope="col">{t('messagingAdmin.list.action')}</th>
          </tr>
        </thead>
        <tbody>
          {mailboxes.map((m, i) => (
            <tr key={m.address}>
              <th scope="row" id={`mbx-row-${i}`} className="msg-address__value">
                {m.address}
              </th>
              <td>{t(`messagingAdmin.kinds.${m.kind}`, { defaultValue: m.kind })}</td>
              <td>{m.displayName}</td>
              <td>
                {m.practitionerId
                  ? t('messagingAdmin.list.practitioner', { id: m.practitionerId })
                  : m.organizationId
                    ? t('messagingAdmin.list.organization', { id: m.organizationId })
                    : t('common.none')}
              </td>
              <td>{m.pharmacy ? t('common.yes') : t('common.no')}</td>
              <td>{m.active ? t('messagingAdmin.list.active') : t('messagingAdmin.list.inactive')}</td>
              <td>
                <button
                  type="button"
                  id={`mbx-action-${i}`}
                  aria-labelledby={`mbx-action-${i} mbx-row-${i}`}
                  className={`button button--small ${m.active ? 'button--danger' : 'button--secondary'}`}
                  aria-disabled={busy === m.address || undefined}
                  onClick={() => {
                    if (busy === null) onToggle(m);
                  }}
                >
                  {m.active ? t('messagingAdmin.list.deactivate') : t('messagingAdmin.list.activate')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );
}
