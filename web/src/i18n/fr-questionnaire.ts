/** The strings of the key-age questionnaire player (issue 9). */
const frQuestionnaire = {
  questionnaire: {
    title: 'Mon bilan prévention',
    back: 'Retour à la prévention',
    intro:
      'Ce questionnaire vous aide à préparer votre bilan prévention avec un professionnel de santé. Vous pouvez l’enregistrer en brouillon et le reprendre plus tard ; une fois finalisé, vous pouvez le télécharger en PDF ou le classer dans vos documents.',
    version: 'Version {{version}}',
    ageBand: 'Pour les personnes de {{min}} à {{max}} ans.',
    required: '(obligatoire)',
    optional: '(facultatif)',
    requiredNote: 'Les questions marquées « (obligatoire) » doivent avoir une réponse pour finaliser le questionnaire.',

    responses: {
      title: 'Mes questionnaires',
      empty: 'Vous n’avez pas encore commencé ce questionnaire.',
      notOffered: 'Ce questionnaire n’est pas proposé pour ce profil : il est prévu pour une autre tranche d’âge.',
      draft: 'Brouillon, enregistré le {{date}}',
      final: 'Finalisé le {{date}}',
      versionOf: 'version {{version}}',
      filed: 'Classé dans vos documents',
      notFiled: 'Pas encore classé dans vos documents',
      continue: 'Continuer le brouillon',
      view: 'Voir les réponses',
      start: 'Commencer le questionnaire',
      startAgain: 'Remplir à nouveau le questionnaire',
      started: 'Le questionnaire est commencé. Répondez aux questions ci-dessous.',
    },

    form: {
      titleDraft: 'Mes réponses (brouillon)',
      titleFinal: 'Mes réponses (finalisé le {{date}})',
      savedAt: 'Brouillon enregistré le {{date}}.',
      notSaved: 'Ce brouillon n’est pas encore enregistré.',
      save: 'Enregistrer le brouillon',
      saved: 'Votre brouillon est enregistré.',
      finalise: 'Finaliser',
      confirmTitle: 'Finaliser le questionnaire ?',
      confirmText: 'Une fois finalisé, vos réponses ne pourront plus être modifiées. Vos réponses sur vos habitudes de vie seront reportées dans votre profil médical.',
      confirm: 'Finaliser le questionnaire',
      finalised: 'Le questionnaire est finalisé. Vous pouvez le télécharger en PDF ou le classer dans vos documents.',
      stale: 'Vos réponses ont été modifiées ailleurs entre-temps (un autre onglet ou un autre appareil) : la dernière version enregistrée est rechargée.',
      noAnswer: 'Pas de réponse',
      clear: 'Effacer la réponse',
      shown_one: 'Une question s’ajoute : « {{questions}} ».',
      shown_other: '{{count}} questions s’ajoutent : {{questions}}.',
      hidden_one: 'Une question n’est plus posée : « {{questions}} ».',
      hidden_other: '{{count}} questions ne sont plus posées : {{questions}}.',
      conditional: 'Cette question dépend de votre réponse précédente.',
    },

    fieldErrors: {
      incomplete: 'Répondez à la question « {{question}} ».',
      'unknown-question': 'La question « {{question}} » ne fait pas partie de cette version du questionnaire.',
      'invalid-answer': 'La réponse à la question « {{question}} » n’est pas une réponse proposée.',
      'answer-too-long': 'La réponse à la question « {{question}} » dépasse 2 000 caractères.',
      invalid: 'La réponse à la question « {{question}} » n’est pas valable.',
      here: {
        incomplete: 'Répondez à cette question.',
        'unknown-question': 'Cette question ne fait pas partie de cette version du questionnaire.',
        'invalid-answer': 'Choisissez une des réponses proposées.',
        'answer-too-long': 'Votre réponse dépasse 2 000 caractères : raccourcissez-la.',
        invalid: 'Cette réponse n’est pas valable.',
      },
    },

    pdf: {
      download: 'Télécharger le PDF',
      of: 'du questionnaire finalisé le {{date}}',
      downloaded: 'Le PDF est téléchargé.',
      file: 'Classer en PDF dans mes documents',
      filed: 'Le questionnaire est classé dans vos documents.',
      filedLink: 'Voir mes documents',
      fileName: 'bilan-prevention.pdf',
    },

    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {
      questionnaire: {
        'unknown-question': 'Une réponse porte sur une question qui ne fait pas partie de cette version du questionnaire.',
        'not-offered': 'Ce questionnaire n’est pas proposé pour ce profil : il correspond à une autre tranche d’âge.',
        incomplete: 'Le questionnaire n’est pas complet : répondez aux questions obligatoires.',
        'already-final': 'Ce questionnaire est déjà finalisé : ses réponses ne peuvent plus être modifiées.',
        final: 'Ce questionnaire est finalisé : ses réponses ne peuvent plus être modifiées.',
        stale: 'Vos réponses ont été modifiées ailleurs entre-temps : rechargez la page pour reprendre la dernière version.',
        draft: 'Ce questionnaire n’est pas encore finalisé : finalisez-le avant de le classer dans vos documents.',
        'draft-exists': 'Un brouillon de ce questionnaire est déjà en cours : continuez-le plutôt que d’en commencer un autre.',
        'invalid-answer': 'Une réponse n’est pas une des réponses proposées.',
        'answer-too-long': 'Une réponse dépasse 2 000 caractères.',
        'unknown-band': 'Ce questionnaire n’existe pas. Les bilans prévention concernent les 18-25, 45-50, 60-65 et 70-75 ans.',
        'unknown-version': 'Cette version du questionnaire n’existe pas.',
        'response-unknown': 'Ce questionnaire rempli est introuvable dans ce profil.',
      },
    } as Record<string, Record<string, string>>,
  },
};

export default frQuestionnaire;
