import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Vite 8 transforms TSX with Oxc; React 19 uses the automatic JSX runtime (no @vitejs/plugin-react needed).
export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React libraries start with "use client" (meant for server components); harmless in a SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // Development: the Carnet server runs on its own port; forward the API, the OpenID Provider and FHIR.
    proxy: Object.fromEntries(
      ['/api', '/auth', '/fhir', '/.well-known'].map((p) => [p, process.env.CARNET_URL ?? 'http://localhost:3000']),
    ),
  },
});
