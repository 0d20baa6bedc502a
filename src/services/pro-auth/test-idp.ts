import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Adapter, type AdapterPayload, type Configuration } from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import type { Queryable } from '../../db/index.js';
import { makeRpps } from '../../domain/directory/luhn.js';
import { professionalDisplayName, pscClaimsFromDirectory, type DirectoryPractitioner, type DirectoryRole } from '../../domain/professionals/psc-claims.js';
import { PRACTITIONERS } from '../demo/world.js';
import { activePractitioner, activeRoles, practitionersWithRoles } from './directory.js';
import { escapeHtml, htmlPage } from './html.js';

/**
 * The demo's stand-in for Pro Santé Connect: a second OpenID Provider (oidc-provider) at
 * `${BASE_URL}/test-idp`, mounted in demo mode only and only when PSC_ISSUER is unset. Instead of a CPS card
 * or e-CPS, its sign-in page lists the demo professionals (world.ts PRACTITIONERS that the directory lists)
 * and one professional the directory does not know. It answers like PSC: acr `eidas1`, and in the ID token
 * and userinfo the PSC claims (SubjectNameID, SubjectRefPro.exercices[].activities[]…) built from the
 * directory rows of the chosen professional (domain/professionals/psc-claims.ts).
 *
 * Its state (sessions, codes, tokens) is in memory: it is a demo device, one process, lost on restart.
 */
export const TEST_IDP_PATH = '/test-idp';

/** A professional the directory does not know: signing in as them is refused (pro.unknown). */
export const UNKNOWN_PROFESSIONAL = {
  id: `8${makeRpps('1099999999')}`,
  given: 'Alex',
  family: 'Inconnu',
  practiceCivilityCode: 'DR',
  label: "Professionnel inconnu de l'annuaire (test)",
};

/** The claims of scope_all, as PSC names them. */
const PSC_CLAIMS = [
  'SubjectNameID',
  'preferred_username',
  'given_name',
  'family_name',
  'codeCivilite',
  'SubjectRefPro',
  'SubjectOrganization',
  'SubjectOrganizationID',
  'SubjectRole',
  'Secteur_Activite',
  'Palier_Authentification',
  'Acces_Regulation_Medicale',
  'Mode_Acces_Raison',
  'PSI_Locale',
  'UITVersion',
  'otherIds',
];

/** oidc-provider's storage, in memory (expiring entries); enough for a one-process demo. */
class MemoryAdapter implements Adapter {
  constructor(
    private readonly name: string,
    private readonly store: Map<string, { payload: AdapterPayload; expiresAt: number }>,
  ) {}

  /** One store per provider, shared by its models. */
  static factory(): (name: string) => Adapter {
    const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
    return (name: string) => new MemoryAdapter(name, store);
  }

  private key(id: string) {
    return `${this.name}:${id}`;
  }

  private sweep() {
    const now = Date.now();
    if (this.store.size < 1000) return;
    for (const [k, v] of this.store) if (v.expiresAt <= now) this.store.delete(k);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    this.sweep();
    this.store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.MAX_SAFE_INTEGER });
    if (payload.uid) this.store.set(`${this.name}:uid:${payload.uid}`, { payload: { id } as AdapterPayload, expiresAt: Date.now() + (expiresIn || 3600) * 1000 });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const hit = this.store.get(this.key(id));
    return hit && hit.expiresAt > Date.now() ? hit.payload : undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const ref = this.store.get(`${this.name}:uid:${uid}`);
    return ref ? this.find(String(ref.payload.id)) : undefined;
  }

  async findByUserCode(): Promise<AdapterPayload | undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const hit = this.store.get(this.key(id));
    if (hit) hit.payload = { ...hit.payload, consumed: Math.floor(Date.now() / 1000) };
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [k, v] of this.store) if (v.payload.grantId === grantId) this.store.delete(k);
  }
}

export interface TestIdpOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  cookieKeys: string[];
  trustProxy: boolean;
}

interface Card {
  id: string;
  name: string;
  detail: string;
}

export class TestIdp {
  private constructor(
    private readonly db: Queryable,
    readonly provider: Provider,
  ) {}

  static issuer(baseUrl: string): string {
    return `${baseUrl}${TEST_IDP_PATH}`;
  }

  static async create(db: Queryable, o: TestIdpOptions): Promise<TestIdp> {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: `test-idp-${Date.now().toString(36)}` };
    const configuration: Configuration = {
      adapter: MemoryAdapter.factory(),
      clients: [
        {
          client_id: o.clientId,
          client_secret: o.clientSecret,
          client_name: 'Carnet',
          token_endpoint_auth_method: 'client_secret_basic',
          redirect_uris: [o.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          id_token_signed_response_alg: 'ES256',
        },
      ],
      jwks: { keys: [jwk as never] },
      cookies: {
        keys: o.cookieKeys,
        // not the names of Carnet's own provider, whose cookies this browser also holds
        names: { session: '_tidp_session', interaction: '_tidp_interaction', resume: '_tidp_resume' },
        long: { sameSite: 'lax' },
        short: { sameSite: 'lax' },
      },
      pkce: { required: () => true },
      scopes: ['openid', 'scope_all'],
      claims: { openid: ['sub'], scope_all: PSC_CLAIMS },
      // like PSC, the ID token carries the identity claims too, not only userinfo
      conformIdTokenClaims: false,
      acrValues: ['eidas1', 'eidas2', 'eidas3'],
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `${TEST_IDP_PATH}/interaction/${interaction.uid}` },
      findAccount: async (_ctx, sub) => {
        const claims = await claimsOf(db, sub);
        return claims ? { accountId: sub, claims: () => ({ ...claims, sub }) } : undefined;
      },
      ttl: { AccessToken: 600, AuthorizationCode: 60, Interaction: 15 * 60, Session: 3600, Grant: 3600, IdToken: 600 },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = htmlPage({
          title: 'Erreur du simulateur',
          banner: 'Simulateur Pro Santé Connect',
          body: `<p>${escapeHtml(out.error_description ?? out.error)}</p><p><a href="/">Revenir à l'accueil de Carnet</a></p>`,
        });
      },
    };
    const provider = new Provider(TestIdp.issuer(o.baseUrl), configuration);
    provider.proxy = o.trustProxy;
    return new TestIdp(db, provider);
  }

  /** The cards offered: the demo professionals the directory lists, then the unknown one. */
  private async cards(): Promise<Card[]> {
    const listed = await practitionersWithRoles(
      this.db,
      PRACTITIONERS.map((p) => `8${p.rpps}`),
    );
    return [
      ...listed.map(({ practitioner, roles }) => ({
        id: practitioner.id,
        name: professionalDisplayName(practitioner),
        detail: describeRoles(roles),
      })),
      { id: UNKNOWN_PROFESSIONAL.id, name: UNKNOWN_PROFESSIONAL.label, detail: `IdNat ${UNKNOWN_PROFESSIONAL.id}, absent de l'annuaire : la connexion sera refusée` },
    ];
  }

  /** GET: the sign-in page of an interaction (403 page when the browser holds no such interaction). */
  async page(req: IncomingMessage, res: ServerResponse, uid: string, error?: string): Promise<{ status: number; html: string }> {
    const details = await this.details(req, res, uid);
    if (!details) return gonePage();
    const cards = await this.cards();
    const checked = cards[0]?.id;
    const action = `${TEST_IDP_PATH}/interaction/${encodeURIComponent(uid)}`;
    const items = cards
      .map(
        (c, i) => `<div class="choice">
<input type="radio" name="idnat" id="card-${i}" value="${escapeHtml(c.id)}"${c.id === checked ? ' checked' : ''} aria-describedby="card-${i}-hint">
<label for="card-${i}">${escapeHtml(c.name)}<span class="hint" id="card-${i}-hint">${escapeHtml(c.detail)}</span></label>
</div>`,
      )
      .join('\n');
    const html = htmlPage({
      title: 'Simulateur Pro Santé Connect — carte CPS de test',
      banner: 'Simulateur Pro Santé Connect (démonstration)',
      body: `<p class="note">Ce simulateur remplace Pro Santé Connect dans la démonstration de Carnet : aucune carte CPS ni e-CPS n'est demandée. Choisissez le professionnel dont vous utilisez la carte de test.</p>
${error ? `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<fieldset${error ? ' aria-describedby="form-error"' : ''}>
<legend>Carte CPS de test</legend>
${items}
</fieldset>
<div class="buttons">
<button type="submit" class="primary" name="action" value="login">Se connecter avec cette carte</button>
<button type="submit" class="secondary" name="action" value="cancel">Annuler</button>
</div>
</form>`,
    });
    return { status: error ? 400 : 200, html };
  }

  /**
   * POST: the chosen card signs in (acr eidas1, a grant for the requested scopes), or the user cancels
   * (access_denied); oidc-provider then redirects the browser back to Carnet's callback.
   */
  async submit(req: IncomingMessage, res: ServerResponse, uid: string, form: URLSearchParams): Promise<{ status: number; html: string } | undefined> {
    const details = await this.details(req, res, uid);
    if (!details) return gonePage();
    if (form.get('action') === 'cancel') {
      await this.provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Connexion annulée sur le simulateur' }, { mergeWithLastSubmission: false });
      return undefined;
    }
    const idNat = form.get('idnat') ?? '';
    const cards = await this.cards();
    if (!cards.some((c) => c.id === idNat)) return this.page(req, res, uid, 'Choisissez une carte de test dans la liste.');
    const grant = new this.provider.Grant({ accountId: idNat, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await this.provider.interactionFinished(req, res, { login: { accountId: idNat, acr: 'eidas1' }, consent: { grantId } }, { mergeWithLastSubmission: false });
    return undefined;
  }

  private async details(req: IncomingMessage, res: ServerResponse, uid: string) {
    try {
      const d = await this.provider.interactionDetails(req, res);
      return d.uid === uid ? d : undefined;
    } catch {
      return undefined;
    }
  }
}

function gonePage(): { status: number; html: string } {
  return {
    status: 400,
    html: htmlPage({
      title: 'Cette demande de connexion a expiré',
      banner: 'Simulateur Pro Santé Connect (démonstration)',
      body: '<p>Revenez à Carnet et recommencez la connexion des professionnels.</p><p><a href="/connexion?espace=pro">Recommencer la connexion</a></p>',
    }),
  };
}

function describeRoles(roles: DirectoryRole[]): string {
  const first = roles[0]!;
  const what = [first.professionLabel, first.skillLabel].filter(Boolean).join(', ') || `profession ${first.professionCode}`;
  const where = roles.length > 1 ? `${roles.length} situations d'exercice` : (first.organizationName ?? '');
  return [what, where].filter(Boolean).join(' — ');
}

/** The PSC claims of a card: from the directory, or made up for the unknown professional. */
async function claimsOf(db: Queryable, idNat: string): Promise<Record<string, unknown> | undefined> {
  if (idNat === UNKNOWN_PROFESSIONAL.id) {
    const p: DirectoryPractitioner = { id: idNat, family: UNKNOWN_PROFESSIONAL.family, given: UNKNOWN_PROFESSIONAL.given, practiceCivilityCode: 'DR', civilityCode: 'M' };
    return pscClaimsFromDirectory(p, [{ id: 'unknown', professionCode: '10', professionLabel: 'Médecin', modeCode: 'L', sectorCode: 'SA07', organizationId: 'R99999', organizationName: 'CABINET INCONNU' }]);
  }
  const practitioner = await activePractitioner(db, idNat);
  if (!practitioner) return undefined;
  return pscClaimsFromDirectory(practitioner, (await activeRoles(db, [idNat])).get(idNat) ?? []);
}
