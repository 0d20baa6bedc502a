import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiGet } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { FieldErrorText } from '../../components/Field';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import type { ImportReport, ImportSummary } from '../../types';
import { ImportReportView } from './ImportReportView';
import { ImportsTable } from './ImportsTable';

/** /admin/import: sends a population CSV and shows the report; lists the previous imports. */
export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [report, setReport] = useState<{ fileName: string; report: ImportReport } | null>(null);
  const form = useSubmit();
  const imports = useQuery({
    queryKey: ['admin', 'imports'],
    queryFn: async ({ signal }) => {
      const answer = await apiGet<ImportSummary[] | { items?: ImportSummary[]; imports?: ImportSummary[] }>(
        '/api/admin/population/imports',
        signal,
      );
      return Array.isArray(answer) ? answer : (answer.items ?? answer.imports ?? []);
    },
  });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    const errors: FieldError[] = file ? [] : [{ field: 'import-file', message: t('validation.file') }];
    setReport(null);
    await form.run(errors, async () => {
      const text = await file!.text();
      const result = await api<ImportReport>(
        `/api/admin/population/imports?file=${encodeURIComponent(file!.name)}`,
        { method: 'POST', body: text, contentType: 'text/csv' },
      );
      setReport({ fileName: file!.name, report: result });
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
    });
  };

  const fileError = form.errorFor('import-file');

  return (
    <>
      <PageHeading title={t('admin.importTitle')} />
      <p>{t('admin.importIntro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <div className={fileError ? 'field field--error' : 'field'}>
          <label htmlFor="import-file">{t('admin.file')}</label>
          {fileError && <FieldErrorText id="import-file-error" message={fileError} />}
          <input
            ref={fileInput}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={fileError ? 'import-file-error' : undefined}
            aria-invalid={fileError ? true : undefined}
            required
          />
        </div>
        <SubmitButton pending={form.pending}>{t('admin.importSubmit')}</SubmitButton>
      </form>
      <StatusMessage>{form.pending && t('admin.importing')}</StatusMessage>
      {report && <ImportReportView fileName={report.fileName} report={report.report} />}

      <section>
        <h2 id="imports-title">{t('admin.previousTitle')}</h2>
        {imports.isPending ? (
          <Loading />
        ) : imports.isError ? (
          <QueryError error={imports.error} />
        ) : (
          <ImportsTable imports={imports.data} />
        )}
      </section>
    </>
  );
}
