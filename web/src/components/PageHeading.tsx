import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { takeHeadingFocusRequest } from '../focus';

/** The page's h1: names the document and receives the focus after navigation. */
export function PageHeading({ title }: { title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} – ${t('app.titleSuffix')}`;
  }, [title, t]);

  useEffect(() => {
    if (takeHeadingFocusRequest()) ref.current?.focus();
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1}>
      {title}
    </h1>
  );
}
