import type { FastifyInstance } from 'fastify';
import { startActivation, chooseCredentials, completeActivation, loginAvailability } from '../../services/accounts/activation.js';
import type { AccountsDeps } from '../../services/accounts/context.js';
import { objectionProofPdf, objectOnline, resendCode } from '../../services/accounts/optout.js';
import { forgotPassword, resetPassword } from '../../services/accounts/signin.js';
import { objectBody } from './body.js';

/** The account endpoints open to anyone (no token): objection, activation, new codes, forgotten password. */
export function publicRoutes(app: FastifyInstance, deps: { accounts: AccountsDeps; rateLimitPerMinute: number }): void {
  const a = deps.accounts;
  const config = { rateLimit: { max: deps.rateLimitPerMinute, timeWindow: '1 minute' } };

  app.post('/api/optout/objection', { config }, async (req, reply) => {
    const b = objectBody(req.body);
    const o = await objectOnline(a, { nir: b.nir, code: b.code, source: req.ip });
    return reply.code(201).send({
      reference: o.reference,
      objectedAt: o.objectedAt,
      proofUrl: `/api/optout/objection/${o.reference}/proof.pdf?k=${o.proofKey}`,
    });
  });

  app.get<{ Params: { reference: string }; Querystring: { k?: string } }>('/api/optout/objection/:reference/proof.pdf', { config }, async (req, reply) => {
    const pdf = await objectionProofPdf(a, req.params.reference, String(req.query.k ?? ''));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="attestation-opposition-${req.params.reference}.pdf"`)
      .send(Buffer.from(pdf));
  });

  app.post('/api/activation/start', { config }, async (req, reply) => {
    const b = objectBody(req.body);
    return reply.code(201).send(await startActivation(a, { nir: b.nir, vitaleSerial: b.vitaleSerial, code: b.code, source: req.ip }));
  });
  app.get<{ Params: { id: string }; Querystring: { login?: string } }>('/api/activation/:id/login-available', { config }, async (req) =>
    loginAvailability(a, req.params.id, String(req.query.login ?? '')),
  );
  app.post<{ Params: { id: string } }>('/api/activation/:id/account', { config }, async (req) => {
    const b = objectBody(req.body);
    return chooseCredentials(a, req.params.id, { login: b.login, password: b.password, email: b.email, acceptTerms: b.acceptTerms });
  });
  app.post<{ Params: { id: string } }>('/api/activation/:id/verify', { config }, async (req) => {
    const { login } = await completeActivation(a, req.params.id, { otp: objectBody(req.body).otp });
    return { login };
  });

  app.post('/api/codes/resend', { config }, async (req, reply) => {
    const b = objectBody(req.body);
    await resendCode(a, { nir: b.nir, birthDate: b.birthDate });
    return reply.code(202).send({ accepted: true });
  });
  app.post('/api/password/forgot', { config }, async (req, reply) => {
    await forgotPassword(a, objectBody(req.body));
    return reply.code(202).send({ accepted: true });
  });
  app.post('/api/password/reset', { config }, async (req, reply) => {
    await resetPassword(a, objectBody(req.body), req.ip);
    return reply.code(204).send();
  });
}
