/** The strings of the operator's reference data (drugs, vaccines) (issue 8). */
const frReferenceAdmin = {
  referenceAdmin: {
    nav: 'Référentiels',
    title: 'Référentiels',
    intro:
      "Carnet embarque un extrait de la base de données publique des médicaments (BDPM) et la liste des vaccins. Chargez ici les fichiers à jour : l'ancien jeu de données est remplacé en une seule fois, ou pas du tout si le fichier contient une erreur.",
    datasets: {
      title: 'Jeux de données chargés',
      caption: 'Référentiels en service, avec leur source et leur version',
      name: 'Référentiel',
      source: 'Source',
      version: 'Version',
      loadedAt: 'Chargé le',
      loadedBy: 'Chargé par',
      rows: 'Lignes',
      shipped: 'Carnet (fichier livré)',
      cli: 'Ligne de commande',
      none: 'Aucun référentiel chargé.',
      names: {
        bdpm: 'Médicaments (BDPM)',
        vaccines: 'Vaccins',
      },
    },
    vaccines: {
      title: 'Remplacer la liste des vaccins',
      hint: 'Fichier JSON au format de data/reference/vaccines.json (source, version, vaccins).',
      file: 'Fichier de la liste des vaccins (JSON)',
      submit: 'Charger la liste des vaccins',
      notJson: "Ce fichier n'est pas du JSON valide.",
      done: 'Liste des vaccins chargée : {{count}} vaccins, version du {{version}}.',
    },
    bdpm: {
      title: 'Remplacer un fichier de la BDPM',
      hint: 'Fichier tel que publié sur base-donnees-publique.medicaments.gouv.fr (texte séparé par des tabulations, encodage Windows-1252).',
      which: 'Quel fichier ?',
      cis: 'CIS_bdpm.txt : les spécialités',
      cip: 'CIS_CIP_bdpm.txt : les présentations (codes CIP)',
      file: 'Fichier de la BDPM',
      version: 'Date du fichier',
      versionHint: 'Date de publication du fichier, au format AAAA-MM-JJ.',
      submit: 'Charger le fichier',
      done: '{{file}} chargé : {{count}} spécialités en service, version du {{version}}.',
      loading: 'Chargement en cours…',
    },
    validation: {
      file: 'Choisissez un fichier.',
      version: 'Indiquez la date du fichier au format AAAA-MM-JJ.',
    },
    detail: 'Détail : {{detail}}',
    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {
      'reference.bdpm-invalid': "Le fichier de la BDPM est mal formé : rien n'a été remplacé.",
      'reference.bdpm-file': 'Indiquez de quel fichier de la BDPM il s’agit.',
      'reference.vaccines-invalid': "La liste des vaccins est mal formée : rien n'a été remplacé.",
    } as Record<string, string>,
  },
};

export default frReferenceAdmin;
