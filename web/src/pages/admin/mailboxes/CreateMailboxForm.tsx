import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isMailboxAddress, isMailboxKind, MAILBOX_KINDS, ownedByProfessional, type MailboxKind, type NewMailbox, type OperatorMailbox } from './types';

const IDS = { kind: 'mbx-kind', address: 'mbx-address', name: 'mbx-name', owner: 'mbx-owner', pharmacy: 'mbx-pharmacy' } as const;

/** The field an API error code is about, so that its message shows next to it. */
function fieldOf(code: string): string | undefined {
  switch (code) {
    case 'mailboxes.address':
    case 'mailboxes.patient-domain':
    case 'mailboxes.taken':
      return IDS.address;
    case 'mailboxes.kind':
      return IDS.kind;
    case 'mailboxes.name':
      return IDS.name;
    case 'mailboxes.owner':
    case 'mailboxes.owner-unknown':
      return IDS.owner;
    default:
      return undefined;
  }
}

/** The lengths the API accepts (src/http/api/messaging-routes.ts). */
const MAX = { address: 254, name: 200, practitioner: 20, organization: 64 };

/** Creates a professional mailbox: kind, address, displayed name, owner (a professional or a structure), officine. */
export function CreateMailboxForm({ onCreated }: { onCreated: (mailbox: OperatorMailbox) => Promise<void> | void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<MailboxKind | ''>('');
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [pharmacy, setPharmacy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const form = useSubmit(fieldOf);

  const personal = kind !== '' && ownedByProfessional(kind);
  const ownerLabel = kind === '' ? t('messagingAdmin.create.ownerAny') : personal ? t('messagingAdmin.create.ownerPractitioner') : t('messagingAdmin.create.ownerOrganization');
  const ownerHint = kind === '' ? t('messagingAdmin.create.ownerAnyHint') : personal ? t('messagingAdmin.create.ownerPractitionerHint') : t('messagingAdmin.create.ownerOrganizationHint');
  const ownerMax = personal ? MAX.practitioner : MAX.organization;

  const validate = (): FieldError[] => {
    const errors: FieldError[] = [];
    if (kind === '') errors.push({ field: IDS.kind, message: t('messagingAdmin.validation.kind') });
    if (!isMailboxAddress(address.trim())) errors.push({ field: IDS.address, message: t('messagingAdmin.validation.address') });
    const displayName = name.trim();
    if (!displayName || displayName.length > MAX.name) errors.push({ field: IDS.name, message: t('messagingAdmin.validation.name') });
    const id = owner.trim();
    if (kind !== '' && (!id || id.length > ownerMax)) {
      errors.push({ field: IDS.owner, message: personal ? t('messagingAdmin.validation.ownerPractitioner') : t('messagingAdmin.validation.ownerOrganization') });
    }
    return errors;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.pending) return;
    setCreated(null);
    await form.run(validate(), async () => {
      const k = kind as MailboxKind;
      const body: NewMailbox = {
        address: address.trim(),
        kind: k,
        displayName: name.trim(),
        ...(ownedByProfessional(k) ? { practitionerId: owner.trim() } : { organizationId: owner.trim() }),
        pharmacy,
      };
      const mailbox = await apiPost<OperatorMailbox>('/api/admin/mailboxes', body);
      setKind('');
      setAddress('');
      setName('');
      setOwner('');
      setPharmacy(false);
      setCreated(mailbox.address);
      await onCreated(mailbox);
    });
  };

  return (
    <section aria-labelledby="mbx-create-title">
      <h2 id="mbx-create-title">{t('messagingAdmin.create.title')}</h2>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <Field
          id={IDS.kind}
          label={t('messagingAdmin.create.kind')}
          hint={t('messagingAdmin.create.kindHint')}
          error={form.errorFor(IDS.kind)}
          control={(aria) => (
            <select
              id={IDS.kind}
              {...aria}
              required
              value={kind}
              onChange={(e) => setKind(isMailboxKind(e.target.value) ? e.target.value : '')}
            >
              <option value="">{t('messagingAdmin.create.kindChoose')}</option>
              {MAILBOX_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`messagingAdmin.kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        />
        <TextField
          id={IDS.address}
          type="email"
          label={t('messagingAdmin.create.address')}
          hint={t('messagingAdmin.create.addressHint')}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          error={form.errorFor(IDS.address)}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          maxLength={MAX.address}
          required
        />
        <TextField
          id={IDS.name}
          label={t('messagingAdmin.create.name')}
          hint={t('messagingAdmin.create.nameHint')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={form.errorFor(IDS.name)}
          autoComplete="off"
          maxLength={MAX.name}
          required
        />
        <TextField
          id={IDS.owner}
          label={ownerLabel}
          hint={ownerHint}
          value={owner}
          onChange={(e) => setOwner(e.target.value)}
          error={form.errorFor(IDS.owner)}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          maxLength={ownerMax}
          required
        />
        <CheckboxField
          id={IDS.pharmacy}
          label={t('messagingAdmin.create.pharmacy')}
          hint={t('messagingAdmin.create.pharmacyHint')}
          checked={pharmacy}
          onChange={(e) => setPharmacy(e.target.checked)}
        />
        <SubmitButton pending={form.pending}>{t('messagingAdmin.create.submit')}</SubmitButton>
      </form>
      <StatusMessage>
        {form.pending ? t('messagingAdmin.create.pending') : created ? t('messagingAdmin.create.done', { address: created }) : null}
      </StatusMessage>
    </section>
  );
}
