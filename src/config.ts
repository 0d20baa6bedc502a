import path from 'node:path';
import { z } from 'zod';
import { parseSmartScope } from './domain/access/scopes.js';

/**
 * Carnet's settings, all from environment variables, validated at start.
 * The README lists each one with its default; keep the two in step.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    PORT: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    BASE_URL: z
      .string()
      .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), 'must be an absolute http(s) URL')
      .optional(),
    DEMO: bool.optional(),
    MAX_BODY_BYTES: z.coerce
      .number({ message: 'must be a number of bytes' })
      .int('must be a whole number of bytes')
      .min(1024, 'must be at least 1024 bytes')
      .default(20 * 1024 * 1024),
    DOCUMENT_MAX_BYTES: z.coerce
      .number({ message: 'must be a number of bytes' })
      .int('must be a whole number of bytes')
      .min(1024, 'must be at least 1024 bytes')
      .default(10 * 1024 * 1024),
    SAMU_STRUCTURES: z.string().optional(),
    BLOB_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64 (44 characters) or base64url (43 characters)')
      .optional(),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60, 'must be at least 60 seconds').default(12 * 3600),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    FHIR_DEFAULT_COUNT: z.coerce.number().int().min(1).max(1000).default(20),
    FHIR_MAX_COUNT: z.coerce.number().int().min(1).max(5000).default(200),
    FHIR_MAX_BUNDLE_ENTRIES: z.coerce.number().int().min(1).max(100_000).default(1000),
    READ_AUDIT_COMMIT: z.enum(['async', 'sync'], { message: "must be 'async' or 'sync'" }).default('async'),
    SMTP_URL: z.string().regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL').optional(),
    MAIL_FROM: z.string().min(3).default('Carnet <ne-pas-repondre@carnet.test>'),
    OPERATOR_NAME: z.string().min(1).default('Carnet'),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    OPT_OUT_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(42),
    SUSPENSION_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(42),
    DELETION_DELAY_DAYS: z.coerce.number().int().min(0).max(365).default(90),
    CODE_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(15),
    LOCK_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
    PREVENTION_REMINDERS: bool.optional(),
    TRUST_PROXY: z.string().min(1).optional(),
    // professional sign-in (Pro Santé Connect) and practice software: see docs/professionals.md
    PSC_ISSUER: z
      .string()
      .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), 'must be an absolute http(s) URL')
      .optional(),
    PSC_CLIENT_ID: z.string().min(1).optional(),
    PSC_CLIENT_SECRET: z.string().min(1).optional(),
    PSC_SCOPES: z
      .string()
      .refine((v) => v.split(/\s+/).includes('openid'), "must include 'openid'")
      .default('openid scope_all'),
    PSC_ACR: z.enum(['eidas1', 'eidas2', 'eidas3'], { message: "must be 'eidas1', 'eidas2' or 'eidas3'" }).default('eidas1'),
    OAUTH_CLIENTS: z.string().optional(),
    // secure messaging: see docs/messaging.md
    MAIL_DOMAIN: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name such as carnet.test').optional(),
    SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_TLS_CERT: z.string().min(1).optional(),
    SMTP_TLS_KEY: z.string().min(1).optional(),
    MAIL_TRUSTED_DOMAINS: z.string().optional(),
    MAIL_QUOTA_BYTES: z.coerce.number().int().min(1024 * 1024, 'must be at least 1 MiB').default(200 * 1024 * 1024),
    MSS_NIL: z.string().min(1).max(200).default('carnet'),
  });

/** A registered OAuth client: practice software (logiciel de professionnel de santé) acting for a professional. */
export interface OAuthClientSetting {
  clientId: string;
  clientName: string;
  redirectUris: string[];
  /** 'none': a public client (PKCE only); 'client_secret_basic': a confidential one with `clientSecret`. */
  tokenEndpointAuthMethod: 'none' | 'client_secret_basic';
  clientSecret?: string;
  /** The scopes it may ask for: `openid` and SMART `user/…` scopes (domain/access/scopes.ts), space-separated. */
  scope: string;
}

const oauthClientSchema = z
  .object({
    client_id: z.string().regex(/^[\x21-\x7E]{1,100}$/, 'must be 1 to 100 visible ASCII characters'),
    client_name: z.string().min(1, 'must not be empty'),
    redirect_uris: z
      .array(
        z
          .string()
          .refine((v) => URL.canParse(v) && !v.includes('#') && !/^(javascript|data):/i.test(v), 'must be absolute URIs without a fragment'),
      )
      .min(1, 'must list at least one URI'),
    token_endpoint_auth_method: z.enum(['none', 'client_secret_basic'], { message: "must be 'none' or 'client_secret_basic'" }),
    client_secret: z.string().min(32, 'must be at least 32 characters').optional(),
    scope: z.string().refine(
      (v) => v.trim() !== '' && v.trim().split(/\s+/).every((s) => s === 'openid' || parseSmartScope(s) !== undefined),
      "must list 'openid' and SMART user/ scopes (user/*.read, user/Patient.rs...)",
    ),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.token_endpoint_auth_method === 'client_secret_basic' && !c.client_secret) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'is required with client_secret_basic' });
    }
    if (c.token_endpoint_auth_method === 'none' && c.client_secret) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: "must not be set for a public client ('none')" });
    }
  });

/** Parses OAUTH_CLIENTS (a JSON array); returns the clients, or the problems, each naming where it is. */
function parseOAuthClients(text: string | undefined): { clients: OAuthClientSetting[]; problems: string[] } {
  if (text === undefined) return { clients: [], problems: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { clients: [], problems: ['  OAUTH_CLIENTS: must be a JSON array of clients'] };
  }
  const parsed = z.array(oauthClientSchema, { message: 'must be a JSON array of clients' }).safeParse(json);
  if (!parsed.success) {
    const where = (p: PropertyKey[]) => p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    return { clients: [], problems: parsed.error.issues.map((i) => `  OAUTH_CLIENTS${where(i.path)}: ${i.message}`) };
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, c] of parsed.data.entries()) {
    if (c.client_id === 'carnet-web') problems.push(`  OAUTH_CLIENTS[${i}].client_id: 'carnet-web' is Carnet's own web app`);
    if (seen.has(c.client_id)) problems.push(`  OAUTH_CLIENTS[${i}].client_id: '${c.client_id}' is listed twice`);
    seen.add(c.client_id);
  }
  return {
    clients: parsed.data.map((c) => ({
      clientId: c.client_id,
      clientName: c.client_name,
      redirectUris: c.redirect_uris,
      tokenEndpointAuthMethod: c.token_endpoint_auth_method,
      ...(c.client_secret ? { clientSecret: c.client_secret } : {}),
      scope: c.scope.trim().split(/\s+/).join(' '),
    })),
    problems,
  };
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  baseUrl: string;
  /** Demo mode: seeds the demo world and lets `carnet token` mint tokens for demo logins. */
  demo: boolean;
  maxBodyBytes: number;
  /** The largest document accepted (ITI-65, patient uploads), in bytes. */
  documentMaxBytes: number;
  /** The structures (directory ids) whose doctors regulate SAMU calls (emergency access ETREAT). */
  samuStructures: string[];
  /** The AES-256 key of the documents' bytes at rest; unset, a key generated once into the database. */
  blobKey: Buffer | undefined;
  tokenTtlSeconds: number;
  logLevel: string;
  defaultCount: number;
  maxCount: number;
  maxBundleEntries: number;
  /**
   * 'async': a unit of work that only read commits its audit records without waiting for the disk (PostgreSQL
   * synchronous_commit = off); a crash of the database server can lose the last fraction of a second of them.
   * 'sync': every commit waits.
   */
  readAuditCommit: 'async' | 'sync';
  /** Outgoing mail server; unset: e-mails stay in the outbox (the demo mail catcher) and are not delivered. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Who runs this Carnet, as printed on notices and attestations. */
  operatorName: string;
  sessionIdleMinutes: number;
  /** Profile lifecycle deadlines (docs/accounts.md). */
  optOutWindowDays: number;
  suspensionWindowDays: number;
  deletionDelayDays: number;
  codeTtlDays: number;
  invitationTtlDays: number;
  /** Brute force: failures before a lock, and its length. */
  lockAfterFailures: number;
  lockMinutes: number;
  /** Requests per minute and client address on the public account endpoints. */
  rateLimitPerMinute: number;
  /** How often the in-process jobs run (deadlines, e-mail delivery); 0 turns them off. */
  jobsIntervalSeconds: number;
  /** Whether the jobs send the daily prevention reminders (docs/prevention.md); on unless PREVENTION_REMINDERS=false. */
  preventionReminders: boolean;
  /**
   * The proxies in front of Carnet whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated, or
   * `true` for any): the client address is what rate limits and locks count by.
   */
  trustProxy: boolean | string[];
  /**
   * Pro Santé Connect, the professionals' identity provider (docs/professionals.md). Unset issuer: in demo mode
   * the built-in test IdP (`${baseUrl}/test-idp`) stands in for it; otherwise professional sign-in is off.
   * An issuer URL containing `/.well-known/` is taken as the discovery document's address itself.
   */
  pscIssuer: string | undefined;
  pscClientId: string | undefined;
  pscClientSecret: string | undefined;
  pscScopes: string;
  /** The eIDAS level asked for (acr_values) and required of the ID token's `acr`. */
  pscAcr: 'eidas1' | 'eidas2' | 'eidas3';
  /** Practice software registered as OAuth clients of the embedded OpenID Provider. */
  oauthClients: OAuthClientSetting[];
  /** Secure messaging (docs/messaging.md). */
  messaging: MessagingConfig;
}

export interface MessagingConfig {
  /** The operator's domain: patients' mailboxes are `<INS>@patient.<domain>`. carnet.test in demo mode. */
  domain: string;
  /** The SMTP gateway's port (0: not started). */
  smtpPort: number;
  /** The address it listens on; the HTTP host by default. */
  smtpHost: string;
  /** PEM files for STARTTLS; unset: a self-signed certificate made at start (demo, tests). */
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /** Operators' domains whose servers may relay mail to patients without authenticating (the white list). */
  trustedDomains: string[];
  /** A patient mailbox's quota of attachments, in bytes. */
  quotaBytes: number;
  /** X-MSS-NIL: the référence produit Carnet sends. */
  nil: string;
}

export class ConfigError extends Error {}

/** Reads and validates the settings. Throws ConfigError naming every wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // blank counts as unset (a stray space in an .env file must not become port 0)
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'settings'}: ${i.message}`);
    throw new ConfigError(`Invalid setting${lines.length > 1 ? 's' : ''}:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const baseUrl = (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const demo = c.DEMO ?? c.DATABASE_URL === undefined;
  const oauth = parseOAuthClients(c.OAUTH_CLIENTS);
  const problems = [...oauth.problems];
  if (c.PSC_ISSUER !== undefined) {
    // http is for the demo and tests (a local IdP); a real Pro Santé Connect is https
    if (c.PSC_ISSUER.startsWith('http:') && !demo) problems.push('  PSC_ISSUER: must be an https URL (http is allowed in demo mode only)');
    if (c.PSC_CLIENT_ID === undefined) problems.push('  PSC_CLIENT_ID: is required with PSC_ISSUER');
    if (c.PSC_CLIENT_SECRET === undefined) problems.push('  PSC_CLIENT_SECRET: is required with PSC_ISSUER');
  }
  if ((c.SMTP_TLS_CERT === undefined) !== (c.SMTP_TLS_KEY === undefined)) problems.push('  SMTP_TLS_CERT, SMTP_TLS_KEY: set both or neither');
  if (problems.length) throw new ConfigError(`Invalid setting${problems.length > 1 ? 's' : ''}:\n${problems.join('\n')}`);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    baseUrl,
    demo,
    maxBodyBytes: c.MAX_BODY_BYTES,
    documentMaxBytes: c.DOCUMENT_MAX_BYTES,
    samuStructures: (c.SAMU_STRUCTURES ?? '').split(',').map((x) => x.trim()).filter(Boolean),
    blobKey: c.BLOB_KEY === undefined ? undefined : Buffer.from(c.BLOB_KEY.replace(/-/g, '+').replace(/_/g, '/'), 'base64'),
    tokenTtlSeconds: c.TOKEN_TTL_SECONDS,
    // in demo mode the terminal shows the banner and the e-mails sent, not every request
    logLevel: c.LOG_LEVEL ?? (demo ? 'warn' : 'info'),
    defaultCount: Math.min(c.FHIR_DEFAULT_COUNT, c.FHIR_MAX_COUNT),
    maxCount: c.FHIR_MAX_COUNT,
    maxBundleEntries: c.FHIR_MAX_BUNDLE_ENTRIES,
    readAuditCommit: c.READ_AUDIT_COMMIT,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    operatorName: c.OPERATOR_NAME,
    sessionIdleMinutes: c.SESSION_IDLE_MINUTES,
    optOutWindowDays: c.OPT_OUT_WINDOW_DAYS,
    suspensionWindowDays: c.SUSPENSION_WINDOW_DAYS,
    deletionDelayDays: c.DELETION_DELAY_DAYS,
    codeTtlDays: c.CODE_TTL_DAYS,
    invitationTtlDays: c.INVITATION_TTL_DAYS,
    lockAfterFailures: c.LOCK_AFTER_FAILURES,
    lockMinutes: c.LOCK_MINUTES,
    rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE,
    jobsIntervalSeconds: c.JOBS_INTERVAL_SECONDS,
    preventionReminders: c.PREVENTION_REMINDERS ?? true,
    trustProxy: c.TRUST_PROXY === undefined ? false : c.TRUST_PROXY === 'true' ? true : c.TRUST_PROXY.split(',').map((x) => x.trim()).filter(Boolean),
    pscIssuer: c.PSC_ISSUER,
    pscClientId: c.PSC_CLIENT_ID,
    pscClientSecret: c.PSC_CLIENT_SECRET,
    pscScopes: c.PSC_SCOPES.trim().split(/\s+/).join(' '),
    pscAcr: c.PSC_ACR,
    oauthClients: oauth.clients,
    messaging: {
      domain: (c.MAIL_DOMAIN ?? (demo ? 'carnet.test' : new URL(baseUrl).hostname)).toLowerCase(),
      smtpPort: c.SMTP_PORT,
      smtpHost: c.SMTP_HOST ?? c.HOST,
      tlsCertFile: c.SMTP_TLS_CERT,
      tlsKeyFile: c.SMTP_TLS_KEY,
      trustedDomains: (c.MAIL_TRUSTED_DOMAINS ?? (demo ? 'demo.mssante.fr' : '')).split(',').map((x) => x.trim().toLowerCase()).filter(Boolean),
      quotaBytes: c.MAIL_QUOTA_BYTES,
      nil: c.MSS_NIL,
    },
  };
}
