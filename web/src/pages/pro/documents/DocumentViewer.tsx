import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDownload, errorMessage } from '../../../api';
import { saveBlob } from '../../../download';
import { formatDate } from '../../../format';
import { categoryLabel, fileNameOf } from './labels';
import type { DocumentView } from './types';
import { contentPath } from './useDmpPro';

type Kind = 'pdf' | 'image' | 'other';

const kindOf = (contentType: string): Kind => {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type === 'image/jpeg' || type === 'image/png' || type === 'image/gif' || type === 'image/webp') return 'image';
  return 'other';
};

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; blob: Blob; url: string; kind: Kind };

/**
 * The document viewer: a modal dialog (focus kept inside, Escape closes) that fetches the document's bytes with
 * the token, shows a PDF in a titled frame or an image with its alternative text from an object URL, and offers
 * to save it (the only choice for other formats). The caller gives the focus back to what opened it.
 */
export function DocumentViewer({ patientId, document: doc, onClose }: { patientId: string; document: DocumentView; onClose: () => void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  // a frame the page's Content-Security-Policy refuses (frame-src without blob:) falls back to a new tab
  const [frameRefused, setFrameRefused] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    heading.current?.focus();
    return () => d?.close();
  }, []);

  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    apiDownload(contentPath(patientId, doc.id))
      .then(({ blob }) => {
        if (cancelled) return;
        // the type recorded for the document, not whatever the response says
        const typed = blob.type === doc.contentType ? blob : new Blob([blob], { type: doc.contentType });
        url = URL.createObjectURL(typed);
        setLoaded({ state: 'ready', blob: typed, url, kind: kindOf(doc.contentType) });
      })
      .catch((error: unknown) => {
        if (!cancelled) setLoaded({ state: 'error', message: errorMessage(error) });
      });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [patientId, doc.id, doc.contentType]);

  useEffect(() => {
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      if (e.effectiveDirective === 'frame-src' || e.effectiveDirective === 'child-src') setFrameRefused(true);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => document.removeEventListener('securitypolicyviolation', onViolation);
  }, []);

  const save = () => {
    if (loaded.state === 'ready') saveBlob(loaded.blob, fileNameOf(doc));
  };

  const when = formatDate(doc.date ?? doc.depositedAt);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className="document-viewer"
      style={{ width: 'min(64rem, calc(100vw - 1rem))', maxWidth: 'calc(100vw - 1rem)', maxHeight: 'calc(100dvh - 1rem)', padding: '0.5rem 1rem 1rem', border: '2px solid var(--primary)', borderRadius: 'var(--radius)' }}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: '0.5rem' }}>
        <h2 id={titleId} ref={heading} tabIndex={-1} style={{ marginTop: '0.5rem' }}>
          {doc.title}
        </h2>
        <button type="button" className="button button--secondary button--small" onClick={onClose}>
          {t('dmpPro.viewer.close')}
        </button>
      </div>
      <p className="meta">
        {[doc.typeLabel, categoryLabel(t, doc.category), when, doc.author].filter(Boolean).join(' · ')}
      </p>
      {loaded.state === 'loading' ? (
        <p className="loading" role="status">
          {t('dmpPro.viewer.loading')}
        </p>
      ) : loaded.state === 'error' ? (
        <p className="alert alert--error" role="alert">
          {loaded.message}
        </p>
      ) : (
        <>
          {loaded.kind === 'pdf' && !frameRefused ? (
            <iframe
              title={t('dmpPro.viewer.frameTitle', { title: doc.title })}
              src={loaded.url}
              style={{ display: 'block', width: '100%', height: '70vh', border: '1px solid var(--border-light)' }}
            />
          ) : loaded.kind === 'image' ? (
            <img
              src={loaded.url}
              alt={t('dmpPro.viewer.imageAlt', { title: doc.title })}
              style={{ display: 'block', maxWidth: '100%', height: 'auto' }}
            />
          ) : (
            <p>{t(loaded.kind === 'pdf' ? 'dmpPro.viewer.frameRefused' : 'dmpPro.viewer.noPreview')}</p>
          )}
          <div className="button-group button-group--compact">
            {loaded.kind === 'pdf' && frameRefused && (
              <button type="button" className="button button--primary button--small" onClick={() => window.open(loaded.url, '_blank')}>
                {t('dmpPro.viewer.openTab')}
                <span className="visually-hidden"> : {doc.title}</span>
              </button>
            )}
            <button type="button" className="button button--secondary button--small" onClick={save}>
              {t('dmpPro.viewer.download')}
              <span className="visually-hidden"> : {doc.title}</span>
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
