import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGet } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import type { ReferenceDataset } from '../../profile-types';
import { BdpmUploadForm } from './reference/BdpmUploadForm';
import { DatasetsTable } from './reference/DatasetsTable';
import { VaccinesUploadForm } from './reference/VaccinesUploadForm';

/**
 * /admin/referentiels: the reference datasets in service (the drug database, the vaccine list) with their
 * source, version, load date and who loaded them; the operator replaces them with newer files
 * (docs/reference-data.md).
 */
export function ReferencePage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const datasets = useQuery({
    queryKey: ['admin', 'reference'],
    queryFn: ({ signal }) => apiGet<{ datasets: ReferenceDataset[] }>('/api/admin/reference', signal),
  });

  const onLoaded = async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: ['admin', 'reference'] });
    setStatus(message);
  };

  return (
    <>
      <PageHeading title={t('referenceAdmin.title')} />
      <p>{t('referenceAdmin.intro')}</p>
      <StatusMessage>{status}</StatusMessage>

      <section aria-labelledby="ref-datasets-title">
        <h2 id="ref-datasets-title">{t('referenceAdmin.datasets.title')}</h2>
        {datasets.isPending ? (
          <Loading />
        ) : datasets.isError ? (
          <QueryError error={datasets.error} />
        ) : (
          <DatasetsTable datasets={datasets.data.datasets} />
        )}
      </section>

      <VaccinesUploadForm
        onLoaded={async (m) => {
          setStatus(null);
          await onLoaded(m);
        }}
      />
      <BdpmUploadForm
        onLoaded={async (m) => {
          setStatus(null);
          await onLoaded(m);
        }}
      />
    </>
  );
}
