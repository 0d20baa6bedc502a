/** French strings of the professional sign-in (Pro Santé Connect) and of the choice of practice situation. */
const frProSignIn = {
  proSignIn: {
    title: 'Connexion des professionnels de santé',
    intro:
      'Les professionnels de santé se connectent avec Pro Santé Connect, au moyen de leur carte CPS ou de l’application e-CPS.',
    softwareIntro: 'Le logiciel « {{name}} » demande à accéder à Carnet en votre nom. Connectez-vous avec Pro Santé Connect pour l’autoriser.',
    button: 'Se connecter avec Pro Santé Connect',
    patientLink: 'Vous êtes patient ? Connectez-vous à votre espace santé',
    start: {
      title: 'Connexion à l’espace professionnel',
      text: 'Connectez-vous avec Pro Santé Connect (carte CPS ou e-CPS). Vous choisirez ensuite votre situation d’exercice.',
      patientLink: 'Vous êtes patient ? Connexion à votre espace santé',
      proLink: 'Vous êtes professionnel de santé ? Connexion à l’espace professionnel',
    },
    situation: {
      title: 'Choisissez votre situation d’exercice',
      intro: 'Vous exercez dans plusieurs structures. Choisissez celle au titre de laquelle vous vous connectez.',
      legend: 'Situation d’exercice',
      submit: 'Continuer',
      required: 'Choisissez une situation d’exercice.',
      loading: 'Chargement de vos situations d’exercice…',
      signingIn: 'Connexion en cours…',
      none: 'Aucune situation d’exercice active ne vous est connue dans l’annuaire.',
    },
    errorTitle: 'La connexion n’a pas abouti',
    retry: 'Réessayer avec Pro Santé Connect',
    errors: {
      idpError:
        'Pro Santé Connect n’a pas pu vous authentifier, ou la connexion a été annulée. Réessayez ; si le problème persiste, contactez l’assistance.',
      tokenInvalid:
        'La réponse de Pro Santé Connect n’a pas pu être vérifiée : la connexion a été refusée par sécurité. Réessayez.',
      acr: 'Votre moyen d’authentification n’offre pas le niveau de sécurité requis. Connectez-vous avec votre carte CPS ou l’application e-CPS.',
      unknown:
        'Vous n’êtes pas connu comme professionnel de santé en exercice dans l’annuaire national (RPPS). Vérifiez votre inscription auprès de votre ordre ou de l’ARS.',
      disabled:
        'La connexion des professionnels n’est pas ouverte sur ce service, ou votre compte Carnet est désactivé. Contactez l’assistance.',
      expired: 'Cette demande de connexion a expiré. Recommencez la connexion.',
      situationUnknown: 'Cette situation d’exercice ne fait pas partie des vôtres. Choisissez-en une dans la liste.',
      other: 'La connexion n’a pas abouti. Recommencez la connexion.',
    },
  },
};

export default frProSignIn;
