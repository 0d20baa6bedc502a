import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The routes of the React app (web/): each serves index.html and the app routes in the browser. */
export const SPA_ROUTES = [
  '/',
  '/opposition',
  '/activation',
  '/connexion',
  '/callback',
  '/mot-de-passe-oublie',
  '/interaction/:uid',
  '/patient',
  '/patient/*',
  '/pro',
  '/pro/*',
  '/admin',
  '/admin/*',
];

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // documents are shown in the browser from object URLs of their bytes (PDF in a frame)
  "frame-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

/** Serves the built web app (dist/web) with the SPA fallback; a short explanation when it was not built. */
export function webRoutes(app: FastifyInstance, webDir: string): void {
  const index = path.join(webDir, 'index.html');
  const built = fs.existsSync(index);
  if (built) {
    void app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: false, serve: true, cacheControl: false });
    // hashed assets may be cached for long; the onSend hook of the server sets no-store on the rest
    app.get('/assets/*', async (req, reply) => {
      const file = (req.params as { '*': string })['*'];
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.join('assets', file));
    });
  }
  const page = async (_req: unknown, reply: FastifyReply) => {
    reply.header('content-security-policy', CSP);
    if (!built) {
      return reply
        .type('text/html; charset=utf-8')
        .send('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Carnet</title></head><body><main><h1>Carnet</h1><p>L’application web n’est pas construite : lancez <code>npm run build</code>.</p></main></body></html>');
    }
    return reply.type('text/html; charset=utf-8').send(fs.createReadStream(index));
  };
  for (const route of SPA_ROUTES) app.get(route, page);
}
