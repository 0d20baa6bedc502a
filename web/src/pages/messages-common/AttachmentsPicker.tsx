import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api';
import { Field } from '../../components/Field';
import { SUMMARY_SECTIONS, type SummarySection } from '../../profile-types';
import { formatSize } from '../patient/documents/labels';
import { CheckboxGroup } from '../patient/profile/fields';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, uploadAttachment, type ChosenAttachment } from './messagingApi';

export interface PickableDocument {
  id: string;
  title: string;
  detail?: string;
}

/**
 * The attachments of a message being written, in a fieldset: files from the device (sent at once to the
 * uploads endpoint), documents of the record (a list to pick from), the medical profile's summary; the chosen
 * ones listed with a "Retirer" button each.
 */
export function AttachmentsPicker({
  idPrefix,
  space,
  chosen,
  onChange,
  documents,
  documentsLabel,
  documentsUnavailable,
  medicalProfile = false,
}: {
  idPrefix: string;
  space: 'patient' | 'pro';
  chosen: ChosenAttachment[];
  onChange: (next: ChosenAttachment[]) => void;
  /** Documents that may be attached; undefined: no such choice. */
  documents?: PickableDocument[];
  documentsLabel?: string;
  /** Why documents are not offered (shown instead of the list). */
  documentsUnavailable?: string;
  medicalProfile?: boolean;
}) {
  const { t } = useTranslation();
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [docId, setDocId] = useState('');
  /** The summary's sections being chosen (null: the choice is closed). */
  const [profileSections, setProfileSections] = useState<string[] | null>(null);
  const [profileError, setProfileError] = useState<string | undefined>();
  const id = (part: string) => `${idPrefix}-attach-${part}`;
  const full = chosen.length >= MAX_ATTACHMENTS;
  const uploadedBytes = chosen.reduce((n, c) => n + (c.size ?? 0), 0);

  const add = (c: ChosenAttachment) => {
    onChange([...chosen, c]);
    setStatus({ ok: true, text: t('messaging.attach.added', { name: c.label }) });
  };

  const onFiles = async (files: FileList | null) => {
    const list = Array.from(files ?? []);
    if (list.length === 0 || uploading) return;
    setStatus(null);
    if (chosen.length + list.length > MAX_ATTACHMENTS) {
      setStatus({ ok: false, text: t('messaging.attach.tooMany', { max: MAX_ATTACHMENTS }) });
      if (fileInput.current) fileInput.current.value = '';
      return;
    }
    const total = uploadedBytes + list.reduce((n, f) => n + f.size, 0);
    if (total > MAX_ATTACHMENT_BYTES) {
      setStatus({ ok: false, text: t('messaging.attach.tooLarge') });
      if (fileInput.current) fileInput.current.value = '';
      return;
    }
    setUploading(true);
    const added: ChosenAttachment[] = [];
    try {
      for (const file of list) {
        if (file.size === 0) throw new Error(t('messaging.attach.empty', { name: file.name }));
        const up = await uploadAttachment(space, file);
        added.push({
          key: `upload-${up.uploadId}`,
          label: up.filename || file.name,
          size: up.size ?? file.size,
          ref: { kind: 'upload', uploadId: up.uploadId, filename: up.filename || file.name, contentType: up.contentType || file.type },
        });
      }
      onChange([...chosen, ...added]);
      setStatus({ ok: true, text: t('messaging.attach.uploaded', { count: added.length, names: added.map((a) => a.label).join(', ') }) });
    } catch (e) {
      if (added.length) onChange([...chosen, ...added]);
      setStatus({ ok: false, text: e instanceof Error && !('status' in e) ? e.message : errorMessage(e) });
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const remove = (c: ChosenAttachment) => {
    onChange(chosen.filter((x) => x.key !== c.key));
    setStatus({ ok: true, text: t('messaging.attach.removed', { name: c.label }) });
    window.setTimeout(() => document.getElementById(id('file'))?.focus(), 0);
  };

  const pickable = (documents ?? []).filter((d) => !chosen.some((c) => c.ref.kind === 'document' && c.ref.documentId === d.id));
  const hasProfile = chosen.some((c) => c.ref.kind === 'medical-profile');

  return (
    <fieldset className="msg-attach">
      <legend>{t('messaging.attach.legend')}</legend>
      <p className="hint" id={id('hint')}>
        {t('messaging.attach.hint', { max: MAX_ATTACHMENTS })}
      </p>
      <Field
        id={id('file')}
        label={t('messaging.attach.fromDevice')}
        control={(aria) => (
          <input
            ref={fileInput}
            id={id('file')}
            type="file"
            multiple
            {...aria}
            aria-describedby={[aria['aria-describedby'], id('hint')].filter(Boolean).join(' ')}
            disabled={full}
            onChange={(e) => void onFiles(e.target.files)}
          />
        )}
      />
      {uploading && <p className="meta">{t('messaging.attach.uploading')}</p>}
      {documents !== undefined && (
        <div className="msg-attach__docs">
          {pickable.length > 0 ? (
            <>
              <Field
                id={id('doc')}
                label={documentsLabel ?? t('messaging.attach.fromDocuments')}
                control={(aria) => (
                  <select id={id('doc')} {...aria} value={docId} onChange={(e) => setDocId(e.target.value)}>
                    <option value="">{t('messaging.attach.chooseDocument')}</option>
                    {pickable.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.detail ? `${d.title} (${d.detail})` : d.title}
                      </option>
                    ))}
                  </select>
                )}
              />
              <button
                type="button"
                className="button button--secondary button--small"
                aria-disabled={!docId || full || undefined}
                onClick={() => {
                  const doc = pickable.find((d) => d.id === docId);
                  if (!doc || full) return;
                  add({ key: `document-${doc.id}`, label: doc.title, ref: { kind: 'document', documentId: doc.id } });
                  setDocId('');
                }}
              >
                {t('messaging.attach.addDocument')}
              </button>
            </>
          ) : (
            <p className="hint">{documentsUnavailable ?? t('messaging.attach.noDocuments')}</p>
          )}
        </div>
      )}
      {documents === undefined && documentsUnavailable && <p className="hint">{documentsUnavailable}</p>}
      {medicalProfile && !hasProfile && profileSections === null && (
        <button
          type="button"
          className="button button--secondary button--small msg-attach__profile"
          aria-disabled={full || undefined}
          onClick={() => {
            if (full) return;
            setProfileError(undefined);
            setProfileSections([...SUMMARY_SECTIONS]);
            window.setTimeout(() => document.getElementById(`${id('profile')}-0`)?.focus(), 0);
          }}
        >
          {t('messaging.attach.addMedicalProfile')}
        </button>
      )}
      {medicalProfile && !hasProfile && profileSections !== null && (
        <div className="msg-attach__profile">
          <CheckboxGroup
            id={id('profile')}
            label={t('messaging.attach.profileSections')}
            required
            options={SUMMARY_SECTIONS.map((s) => ({ value: s, label: t(`profile.summary.sections.${s}`) }))}
            value={profileSections}
            onChange={(next) => {
              setProfileSections(next);
              if (next.length > 0) setProfileError(undefined);
            }}
            error={profileError}
          />
          <div className="button-group button-group--compact">
            <button
              type="button"
              className="button button--secondary button--small"
              aria-disabled={full || undefined}
              onClick={() => {
                if (full) return;
                const sections = SUMMARY_SECTIONS.filter((s) => profileSections.includes(s)) as SummarySection[];
                if (sections.length === 0) {
                  setProfileError(t('profile.summary.chooseOne'));
                  document.getElementById(`${id('profile')}-0`)?.focus();
                  return;
                }
                const all = sections.length === SUMMARY_SECTIONS.length;
                add({
                  key: 'medical-profile',
                  label: all ? t('messaging.attach.medicalProfileName') : t('messaging.attach.medicalProfilePart', { count: sections.length }),
                  ref: all ? { kind: 'medical-profile' } : { kind: 'medical-profile', sections },
                });
                setProfileSections(null);
              }}
            >
              {t('messaging.attach.addProfileSections')}
            </button>
            <button type="button" className="button button--link" onClick={() => setProfileSections(null)}>
              {t('messaging.attach.cancelProfile')}
            </button>
          </div>
        </div>
      )}
      <div className="msg-attach__chosen">
        <p className="msg-attach__count" id={id('count')}>
          {t('messaging.attach.chosen', { count: chosen.length })}
        </p>
        {chosen.length > 0 && (
          <ul className="plain-list" aria-labelledby={id('count')}>
            {chosen.map((c) => (
              <li key={c.key} className="msg-attach__item">
                <span>
                  {c.label}
                  {c.size !== undefined && <span className="meta"> ({formatSize(t, c.size)})</span>}
                </span>{' '}
                <button type="button" className="button button--link" onClick={() => remove(c)}>
                  {t('messaging.attach.remove')}
                  <span className="visually-hidden"> : {c.label}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div role="status" className="msg-attach__status">
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </div>
    </fieldset>
  );
}
