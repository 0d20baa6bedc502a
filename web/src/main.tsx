import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { ApiError, setActingRefusedHandler, setUnauthorizedHandler } from './api';
import { handleUnauthorized } from './auth';
import './i18n';
import { ME_KEY } from './hooks/useMe';
import { router } from './router';
import { setActingFor } from './session';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change by asking again; network and 5xx errors get two more tries.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

setUnauthorizedHandler(handleUnauthorized);
// The acting profile went away (a revoked delegation, a child come of age): reload the profiles; the patient
// space then falls back to the person's own profile.
setActingRefusedHandler(() => {
  setActingFor(null);
  void queryClient.invalidateQueries({ queryKey: ME_KEY });
});

document.documentElement.lang = 'fr';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
