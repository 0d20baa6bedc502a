/**
 * The prevention reminders (issue 9, docs/prevention.md "Reminders"): the notification texts
 * (web/src/notificationText.ts; params code, title, windowStart, windowEnd) and the operator's indicators page
 * (/admin/prevention: counts only, never who was reminded of what).
 */
const frPreventionNotifications = {
  preventionNotifications: {
    /** The item's title when the notification carries none. */
    untitled: 'un élément de prévention',
    'prevention-child-exam': {
      title: 'Examen de santé de l’enfant à prévoir',
      text: '« {{title}} » est à faire entre le {{windowStart}} et le {{windowEnd}}. Prenez rendez-vous avec votre médecin ou la PMI.',
    },
    'prevention-vaccination': {
      title: 'Vaccination à prévoir',
      text: '« {{title}} » est à faire entre le {{windowStart}} et le {{windowEnd}}. Parlez-en à votre médecin, votre pharmacien ou votre sage-femme.',
    },
    'prevention-screening': {
      title: 'Dépistage à prévoir',
      text: '« {{title}} » est à faire entre le {{windowStart}} et le {{windowEnd}}. L’Assurance Maladie vous envoie une invitation.',
    },
    'prevention-dental': {
      title: 'Examen bucco-dentaire M’T dents',
      text: '« {{title}} » est gratuit entre le {{windowStart}} et le {{windowEnd}}. Prenez rendez-vous chez un dentiste.',
    },
    'prevention-key-age-checkup': {
      title: 'Votre bilan prévention',
      text: '« {{title}} » est possible entre le {{windowStart}} et le {{windowEnd}}. Préparez-le avec le questionnaire de la rubrique Prévention.',
    },
  },
  preventionAdmin: {
    nav: 'Rappels de prévention',
    title: 'Rappels de prévention',
    intro:
      'Chaque jour, Carnet calcule pour chaque profil les examens, vaccinations et dépistages dont la fenêtre s’ouvre dans la semaine, et envoie un rappel, une seule fois par élément et par fenêtre. Seuls des nombres sont affichés ici.',
    totals: {
      title: 'Rappels envoyés depuis le début',
      caption: 'Rappels envoyés par type, depuis la première exécution',
      type: 'Type',
      count: 'Rappels',
      total: 'Total',
    },
    runs: {
      title: 'Exécutions quotidiennes',
      caption: 'Les 30 dernières exécutions du rappel quotidien',
      day: 'Jour',
      startedAt: 'Début',
      finishedAt: 'Fin',
      running: 'En cours',
      profiles: 'Profils examinés',
      sent: 'Rappels envoyés',
      none: 'Le rappel quotidien n’a pas encore été exécuté.',
    },
    types: {
      'child-exam': 'Examens de l’enfant',
      vaccination: 'Vaccinations',
      screening: 'Dépistages des cancers',
      dental: 'M’T dents',
      'key-age-checkup': 'Bilans prévention',
    },
  },
};

export default frPreventionNotifications;
