import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDownload, errorMessage } from '../../../api';
import { saveBlob } from '../../../download';
import { categoryLabel, formatDocumentDate } from './labels';
import type { DocumentView } from './types';
import { contentPath, fileNameOf } from './useDocuments';

type Shown =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; kind: 'pdf' | 'image'; url: string; blob: Blob }
  | { status: 'ready'; kind: 'text'; text: string; blob: Blob }
  | { status: 'ready'; kind: 'download'; blob: Blob };

function kindOf(contentType: string): 'pdf' | 'image' | 'text' | 'download' {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type === 'image/jpeg') return 'image';
  if (type === 'text/plain') return 'text';
  // RTF and TIFF: browsers do not render them
  return 'download';
}

/** Plain text as UTF-8 when it is, else as Windows-1252 (older French text files). */
async function textOf(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * A document shown in the browser, in a modal dialog: its bytes are fetched with the app's token
 * (/api/documents/:id/content) and shown through an object URL — a PDF in an iframe, a JPEG in an img, a text
 * as text; RTF and TIFF are offered as a download. Closing revokes the URL; the caller returns the focus.
 */
export function DocumentViewer({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [shown, setShown] = useState<Shown>({ status: 'loading' });
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => {
      if (d?.open) d.close();
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    let url: string | undefined;
    setShown({ status: 'loading' });
    apiDownload(contentPath(doc.id))
      .then(async ({ blob }) => {
        const kind = kindOf(blob.type || doc.contentType);
        if (kind === 'text') {
          const text = await textOf(blob);
          if (!cancelled) setShown({ status: 'ready', kind, text, blob });
          return;
        }
        if (kind === 'download') {
          if (!cancelled) setShown({ status: 'ready', kind, blob });
          return;
        }
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setShown({ status: 'ready', kind, url, blob });
      })
      .catch((error: unknown) => {
        if (!cancelled) setShown({ status: 'error', message: errorMessage(error) });
      });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [doc.id, doc.contentType]);

  // A page whose security policy does not allow framing object URLs: say so, and offer the download.
  useEffect(() => {
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      if (event.blockedURI.startsWith('blob')) setBlocked(true);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => document.removeEventListener('securitypolicyviolation', onViolation);
  }, []);

  const download = () => {
    if (shown.status === 'ready') saveBlob(shown.blob, fileNameOf(doc));
  };

  return (
    <dialog
      ref={dialog}
      className="doc-viewer"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="doc-viewer__bar">
        <h2 id={titleId} className="doc-viewer__title">
          {doc.title}
        </h2>
        <button type="button" className="button button--secondary button--small" onClick={onClose}>
          {t('dmp.viewer.close')}
        </button>
      </div>
      <p className="meta">
        {[categoryLabel(t, doc.category), formatDocumentDate(doc), doc.author].filter(Boolean).join(' · ')}
      </p>
      {shown.status === 'loading' && (
        <p className="loading" role="status">
          {t('dmp.viewer.loading')}
        </p>
      )}
      {shown.status === 'error' && (
        <p className="alert alert--error" role="alert">
          {shown.message}
        </p>
      )}
      {shown.status === 'ready' && shown.kind === 'pdf' && (
        <>
          {blocked && <p className="alert">{t('dmp.viewer.blocked')}</p>}
          <iframe className="doc-viewer__frame" src={shown.url} title={doc.title} />
        </>
      )}
      {shown.status === 'ready' && shown.kind === 'image' && (
        <div className="doc-viewer__image">
          <img src={shown.url} alt={doc.title} />
        </div>
      )}
      {shown.status === 'ready' && shown.kind === 'text' && (
        <pre className="doc-viewer__text" tabIndex={0} aria-label={t('dmp.viewer.textLabel', { title: doc.title })}>
          {shown.text}
        </pre>
      )}
      {shown.status === 'ready' && shown.kind === 'download' && <p>{t('dmp.viewer.notRendered')}</p>}
      {shown.status === 'ready' && (
        <div className="button-group button-group--compact">
          <button
            type="button"
            className={shown.kind === 'download' ? 'button button--primary' : 'button button--secondary'}
            onClick={download}
          >
            {t('dmp.viewer.download')}
            <span className="visually-hidden"> : {doc.title}</span>
          </button>
        </div>
      )}
    </dialog>
  );
}
