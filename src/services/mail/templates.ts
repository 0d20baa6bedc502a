/**
 * The e-mails Carnet sends, in French. The outbox keeps a template name and its parameters; the text is
 * rendered here at delivery and in the demo mail catcher. E-mails never carry health content: a
 * notification e-mail only says that something new is waiting in the space.
 */
export type TemplateName = 'optout-notice' | 'new-code' | 'otp' | 'notification' | 'majority' | 'email-changed' | 'password-reset' | 'emergency-access';

export interface RenderedMail {
  subject: string;
  text: string;
}

type Params = Record<string, unknown>;

const OTP_PURPOSE: Record<string, string> = {
  'verify-email': 'vérifier votre adresse e-mail',
  'sign-in': 'vous connecter',
  'reset-password': 'changer votre mot de passe',
};

const NOTIFICATION_SUBJECT: Record<string, string> = {
  account: 'Votre compte',
  documents: 'Vos documents',
  messages: 'Votre messagerie',
  appointments: 'Votre agenda',
  prevention: 'Prévention',
  services: 'Vos services connectés',
};

function str(p: Params, key: string): string {
  const v = p[key];
  if ((v === undefined || v === null) && key === 'code') return '[retiré après l’envoi]';
  return v === undefined || v === null ? '' : String(v);
}

export function formatDayFr(isoDate: string): string {
  const d = new Date(isoDate.length === 10 ? `${isoDate}T12:00:00Z` : isoDate);
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(d);
}

export function renderMail(template: string, p: Params, operatorName: string): RenderedMail {
  const signature = `\n\n-- \n${operatorName}\nCe message est envoyé automatiquement, merci de ne pas y répondre.`;
  switch (template as TemplateName) {
    case 'optout-notice': {
      const children = Array.isArray(p.children) && p.children.length > 0 ? (p.children as string[]) : [];
      return {
        subject: 'Votre profil Carnet sera bientôt créé',
        text:
          `Bonjour ${str(p, 'givenName')} ${str(p, 'familyName')},\n\n` +
          `Un espace santé personnel va être créé pour vous le ${formatDayFr(str(p, 'opensOn'))}, sauf si vous vous y opposez d'ici là.\n` +
          (children.length
            ? `Les profils de ${children.join(', ')}, rattachés à votre assurance maladie, seront aussi créés.\n`
            : `Si des enfants sont rattachés à votre assurance maladie, leurs profils seront créés en même temps que le vôtre.\n`) +
          `\nVotre code provisoire, à usage unique : ${str(p, 'code')}\n\n` +
          `Pour activer votre profil dès maintenant : ${str(p, 'baseUrl')}/activation\n` +
          `Pour vous opposer à sa création : ${str(p, 'baseUrl')}/opposition\n` +
          `Munissez-vous de votre numéro de sécurité sociale, de votre carte Vitale et de ce code.` +
          `\n\nVous pourrez fermer votre profil à tout moment.` +
          signature,
      };
    }
    case 'new-code':
      return {
        subject: 'Votre nouveau code provisoire',
        text:
          `Bonjour ${str(p, 'givenName')},\n\nVotre nouveau code provisoire, à usage unique, est : ${str(p, 'code')}\n` +
          `Il est valable jusqu'au ${formatDayFr(str(p, 'expiresOn'))}.\n\nActiver votre profil : ${str(p, 'baseUrl')}/activation` +
          signature,
      };
    case 'otp':
      return {
        subject: `Votre code de sécurité : ${str(p, 'code')}`,
        text:
          `Bonjour,\n\nVoici votre code de sécurité pour ${OTP_PURPOSE[str(p, 'purpose')] ?? 'continuer'} : ${str(p, 'code')}\n` +
          `Il est valable ${str(p, 'minutes')} minutes. Ne le communiquez à personne : Carnet ne vous le demandera jamais par téléphone.\n\n` +
          `Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.` +
          signature,
      };
    case 'notification':
      return {
        subject: `${NOTIFICATION_SUBJECT[str(p, 'category')] ?? 'Carnet'} : du nouveau dans votre espace santé`,
        text:
          `Bonjour,\n\nVous avez une nouvelle notification dans votre espace santé${p.profile ? ` (profil de ${str(p, 'profile')})` : ''}.\n` +
          `Connectez-vous pour la consulter : ${str(p, 'baseUrl')}/patient/notifications\n\n` +
          `Vous pouvez choisir les notifications reçues par e-mail dans vos préférences.` +
          signature,
      };
    case 'emergency-access':
      // to the médecin traitant's secure mailbox (R1111-48): who accessed, when, why; the patient by name only
      return {
        subject: 'Accès en urgence au dossier de votre patient',
        text:
          `Bonjour,\n\nVous êtes le médecin traitant de ${str(p, 'patient')}.\n` +
          `${str(p, 'professional')} a accédé à son dossier en urgence (${str(p, 'purpose')}) le ${formatDayFr(str(p, 'at'))}.\n` +
          `Motif déclaré : ${str(p, 'reason')}\n\n` +
          `L'historique des accès est consultable dans votre espace professionnel : ${str(p, 'baseUrl')}/pro` +
          signature,
      };
    case 'email-changed':
      return {
        subject: 'Votre adresse e-mail a été changée',
        text:
          `Bonjour,\n\nL'adresse e-mail de votre compte Carnet vient d'être remplacée par ${str(p, 'newEmail')}.\n` +
          `Si vous n'êtes pas à l'origine de ce changement, appelez l'assistance au 3422 sans attendre.` +
          signature,
      };
    case 'password-reset':
      return {
        subject: 'Votre mot de passe a été changé',
        text:
          `Bonjour,\n\nLe mot de passe de votre compte Carnet vient d'être changé ; vos autres connexions ont été fermées.\n` +
          `Si vous n'êtes pas à l'origine de ce changement, appelez l'assistance au 3422 sans attendre.` +
          signature,
      };
    case 'majority':
      return {
        subject: 'Vous avez 18 ans : activez votre propre profil',
        text:
          `Bonjour ${str(p, 'givenName')},\n\nVous êtes majeur(e) : vos représentants légaux n'ont plus accès à votre profil.\n` +
          `Activez-le avec votre numéro de sécurité sociale, votre carte Vitale et ce code provisoire : ${str(p, 'code')}\n` +
          `${str(p, 'baseUrl')}/activation` +
          signature,
      };
    default:
      return { subject: 'Carnet', text: `Message ${template}.${signature}` };
  }
}
