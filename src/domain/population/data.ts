/**
 * Reference lists for the population generator (./generate.ts): French given names with the year they were
 * most given, family names, streets, cities with their INSEE (COG) and postal codes, countries of birth.
 * The people are fictitious; the places are real.
 */

/** [given name, year around which it was most given]. */
export type DatedName = readonly [string, number];

export const MALE_GIVEN_NAMES: readonly DatedName[] = [
  ['Jean', 1932], ['André', 1932], ['René', 1932], ['Marcel', 1932], ['Roger', 1934], ['Joseph', 1932],
  ['Robert', 1936], ['Henri', 1936], ['Georges', 1936], ['Pierre', 1942], ['Michel', 1946], ['Jacques', 1945],
  ['Bernard', 1946], ['Claude', 1946], ['François', 1950], ['Daniel', 1950], ['Gérard', 1950],
  ['Jean-Pierre', 1950], ['Alain', 1955], ['Christian', 1955], ['Philippe', 1960], ['Patrick', 1960],
  ['Jean-Luc', 1960], ['Pascal', 1962], ['Didier', 1962], ['Hervé', 1962], ['Éric', 1965], ['Thierry', 1965],
  ['Laurent', 1968], ['Christophe', 1970], ['Stéphane', 1970], ['Olivier', 1970], ['Frédéric', 1972],
  ['Jérôme', 1975], ['Yannick', 1975], ['Sébastien', 1978], ['Benoît', 1978], ['Nicolas', 1980],
  ['Mickaël', 1980], ['Loïc', 1980], ['Julien', 1983], ['Jean-Baptiste', 1985], ['Thomas', 1990],
  ['Alexandre', 1990], ['Maxime', 1992], ['Adrien', 1992], ['Antoine', 1995], ['Clément', 1995],
  ['Baptiste', 1998], ['Théo', 2003], ['Hugo', 2005], ['Lucas', 2005], ['Enzo', 2005], ['Nathan', 2005],
  ['Mathéo', 2008], ['Timothée', 2012], ['Léo', 2015], ['Gabriel', 2015], ['Raphaël', 2015], ['Jules', 2015],
  ['Louis', 2015], ['Gaspard', 2016], ['Côme', 2016], ['Arthur', 2018], ['Noé', 2018], ['Émile', 2018],
];

export const FEMALE_GIVEN_NAMES: readonly DatedName[] = [
  ['Denise', 1932], ['Simone', 1932], ['Germaine', 1932], ['Odette', 1932], ['Jacqueline', 1936],
  ['Yvette', 1936], ['Thérèse', 1936], ['Marie', 1938], ['Colette', 1940], ['Monique', 1945], ['Nicole', 1945],
  ['Geneviève', 1945], ['Françoise', 1950], ['Danielle', 1950], ['Josiane', 1950], ['Brigitte', 1955],
  ['Martine', 1955], ['Marie-Claire', 1955], ['Christine', 1960], ['Catherine', 1960], ['Agnès', 1960],
  ['Hélène', 1960], ['Marie-Hélène', 1960], ['Sylvie', 1962], ['Véronique', 1962], ['Isabelle', 1965],
  ['Nathalie', 1968], ['Valérie', 1968], ['Sandrine', 1972], ['Stéphanie', 1977], ['Céline', 1980],
  ['Gaëlle', 1980], ['Laëtitia', 1980], ['Aurélie', 1983], ['Anne-Laure', 1983], ['Émilie', 1985],
  ['Élodie', 1985], ['Mélanie', 1985], ['Julie', 1985], ['Anne-Sophie', 1985], ['Pauline', 1990],
  ['Marine', 1992], ['Camille', 1995], ['Anaïs', 1995], ['Clémence', 1995], ['Océane', 1998], ['Noémie', 1998],
  ['Manon', 2000], ['Léa', 2000], ['Chloé', 2002], ['Margaux', 2005], ['Inès', 2008], ['Emma', 2010],
  ['Zoé', 2010], ['Maëlle', 2010], ['Jeanne', 2015], ['Louise', 2015], ['Jade', 2015], ['Léonie', 2015],
  ['Éloïse', 2015], ['Hortense', 2016], ['Ambre', 2018],
];

/** Given names used for either sex, for the rare rows of indeterminate sex. */
export const EPICENE_GIVEN_NAMES: readonly string[] = ['Camille', 'Dominique', 'Claude', 'Sacha', 'Alix', 'Charlie'];

export const FAMILY_NAMES: readonly string[] = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent',
  'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard',
  'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefebvre', 'Faure', 'André',
  'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia',
  'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Masson', 'Marchand',
  'Duval', 'Denis', 'Dumont', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard',
  'Giraud', 'Joly', 'Rivière', 'Lucas', 'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martinez', 'Gérard',
  'Roche', 'Renard', 'Schmitt', 'Leroux', 'Colin', 'Vidal', 'Caron', 'Picard', 'Fabre', 'Aubert',
  'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Bourgeois', 'Leclerc', 'Payet', 'Hoarau', 'Nguyen', 'Da Silva',
  'Ferreira', 'Dos Santos', 'Haddad', 'Diallo', 'Traoré', "N'Diaye", 'Le Gall', 'Le Goff', 'Hébert', 'Lévêque',
  'Ménard', 'Péron', 'Évrard', 'Étienne', 'Saint-Hilaire', 'Sainte-Marie', 'Delaunay', "D'Almeida",
];

export const STREETS: readonly string[] = [
  'rue de la République', 'avenue Jean-Jaurès', 'boulevard Victor-Hugo', 'rue Pasteur', 'place de la Mairie',
  'rue des Lilas', 'impasse des Tilleuls', 'chemin des Vignes', 'allée des Acacias', 'rue du Général-de-Gaulle',
  'rue Gambetta', 'avenue de la Gare', 'rue Jules-Ferry', 'rue de l’Église', 'rue Voltaire', 'rue Émile-Zola',
  'rue Nationale', 'rue du Moulin', 'rue des Écoles', 'avenue Foch', 'rue Carnot', 'rue Paul-Bert',
  'rue Anatole-France', 'boulevard de la Liberté', 'rue du Château', 'rue de la Fontaine', 'quai de la Marne',
  'cours Lafayette', 'rue Jean-Moulin', 'avenue des Champs', 'rue Saint-Jacques', 'route de Lyon',
];

export const BUILDING_NAMES: readonly string[] = ['Les Pins', 'Les Tilleuls', 'Le Clos Fleuri', 'Les Hauts de Seine', 'Bellevue'];

/** A commune: where people live (address) and are born (birth place, NIR department and commune). */
export interface City {
  readonly name: string;
  /** INSEE COG code of the commune. */
  readonly insee: string;
  readonly postalCodes: readonly string[];
  /** Relative weight, roughly the population in thousands. */
  readonly weight: number;
  /**
   * Paris, Marseille and Lyon: births are registered in the arrondissements, which have codes of their own
   * (first INSEE code, first postal code, count).
   */
  readonly districts?: { readonly insee: number; readonly postal: number; readonly count: number };
  /** Overseas: the local mobile prefixes ("0692") and the country calling code ("+262"). */
  readonly mobile?: { readonly prefixes: readonly string[]; readonly callingCode: string };
}

export const CITIES: readonly City[] = [
  { name: 'Paris', insee: '75056', postalCodes: [], weight: 2100, districts: { insee: 75101, postal: 75001, count: 20 } },
  { name: 'Marseille', insee: '13055', postalCodes: [], weight: 870, districts: { insee: 13201, postal: 13001, count: 16 } },
  { name: 'Lyon', insee: '69123', postalCodes: [], weight: 520, districts: { insee: 69381, postal: 69001, count: 9 } },
  { name: 'Toulouse', insee: '31555', postalCodes: ['31000', '31100', '31200', '31300', '31400', '31500'], weight: 500 },
  { name: 'Nice', insee: '06088', postalCodes: ['06000', '06100', '06200', '06300'], weight: 340 },
  { name: 'Nantes', insee: '44109', postalCodes: ['44000', '44100', '44200', '44300'], weight: 320 },
  { name: 'Montpellier', insee: '34172', postalCodes: ['34000', '34070', '34080', '34090'], weight: 300 },
  { name: 'Strasbourg', insee: '67482', postalCodes: ['67000', '67100', '67200'], weight: 290 },
  { name: 'Bordeaux', insee: '33063', postalCodes: ['33000', '33100', '33200', '33300', '33800'], weight: 260 },
  { name: 'Lille', insee: '59350', postalCodes: ['59000', '59160', '59260', '59800'], weight: 235 },
  { name: 'Rennes', insee: '35238', postalCodes: ['35000', '35200', '35700'], weight: 225 },
  { name: 'Reims', insee: '51454', postalCodes: ['51100'], weight: 180 },
  { name: 'Toulon', insee: '83137', postalCodes: ['83000', '83100', '83200'], weight: 180 },
  { name: 'Saint-Étienne', insee: '42218', postalCodes: ['42000', '42100'], weight: 175 },
  { name: 'Le Havre', insee: '76351', postalCodes: ['76600', '76610', '76620'], weight: 165 },
  { name: 'Grenoble', insee: '38185', postalCodes: ['38000', '38100'], weight: 160 },
  { name: 'Dijon', insee: '21231', postalCodes: ['21000'], weight: 160 },
  { name: 'Angers', insee: '49007', postalCodes: ['49000', '49100'], weight: 155 },
  { name: 'Nîmes', insee: '30189', postalCodes: ['30000', '30900'], weight: 150 },
  { name: 'Villeurbanne', insee: '69266', postalCodes: ['69100'], weight: 150 },
  { name: 'Clermont-Ferrand', insee: '63113', postalCodes: ['63000', '63100'], weight: 145 },
  { name: 'Le Mans', insee: '72181', postalCodes: ['72000', '72100'], weight: 145 },
  { name: 'Aix-en-Provence', insee: '13001', postalCodes: ['13090', '13100'], weight: 145 },
  { name: 'Brest', insee: '29019', postalCodes: ['29200'], weight: 140 },
  { name: 'Tours', insee: '37261', postalCodes: ['37000', '37100', '37200'], weight: 135 },
  { name: 'Amiens', insee: '80021', postalCodes: ['80000', '80080', '80090'], weight: 135 },
  { name: 'Limoges', insee: '87085', postalCodes: ['87000', '87100', '87280'], weight: 130 },
  { name: 'Annecy', insee: '74010', postalCodes: ['74000'], weight: 130 },
  { name: 'Perpignan', insee: '66136', postalCodes: ['66000', '66100'], weight: 120 },
  { name: 'Metz', insee: '57463', postalCodes: ['57000', '57050', '57070'], weight: 120 },
  { name: 'Besançon', insee: '25056', postalCodes: ['25000'], weight: 120 },
  { name: 'Orléans', insee: '45234', postalCodes: ['45000', '45100'], weight: 115 },
  { name: 'Rouen', insee: '76540', postalCodes: ['76000', '76100'], weight: 115 },
  { name: 'Caen', insee: '14118', postalCodes: ['14000'], weight: 105 },
  { name: 'Mulhouse', insee: '68224', postalCodes: ['68100', '68200'], weight: 105 },
  { name: 'Nancy', insee: '54395', postalCodes: ['54000', '54100'], weight: 105 },
  { name: 'Montreuil', insee: '93048', postalCodes: ['93100'], weight: 110 },
  { name: 'Saint-Denis', insee: '93066', postalCodes: ['93200', '93210'], weight: 110 },
  { name: 'Boulogne-Billancourt', insee: '92012', postalCodes: ['92100'], weight: 120 },
  { name: 'Versailles', insee: '78646', postalCodes: ['78000'], weight: 85 },
  { name: 'Créteil', insee: '94028', postalCodes: ['94000'], weight: 90 },
  { name: 'Roubaix', insee: '59512', postalCodes: ['59100'], weight: 98 },
  { name: 'Avignon', insee: '84007', postalCodes: ['84000'], weight: 90 },
  { name: 'Poitiers', insee: '86194', postalCodes: ['86000'], weight: 90 },
  { name: 'Pau', insee: '64445', postalCodes: ['64000'], weight: 75 },
  { name: 'La Rochelle', insee: '17300', postalCodes: ['17000'], weight: 78 },
  { name: 'Colmar', insee: '68066', postalCodes: ['68000'], weight: 68 },
  { name: 'Ajaccio', insee: '2A004', postalCodes: ['20000', '20090'], weight: 72 },
  { name: 'Bastia', insee: '2B033', postalCodes: ['20200', '20600'], weight: 48 },
  { name: 'Saint-Denis', insee: '97411', postalCodes: ['97400', '97490'], weight: 150, mobile: { prefixes: ['0692', '0693'], callingCode: '+262' } },
  { name: 'Fort-de-France', insee: '97209', postalCodes: ['97200'], weight: 76, mobile: { prefixes: ['0696', '0697'], callingCode: '+596' } },
  { name: 'Pointe-à-Pitre', insee: '97120', postalCodes: ['97110'], weight: 40, mobile: { prefixes: ['0690', '0691'], callingCode: '+590' } },
  { name: 'Cayenne', insee: '97302', postalCodes: ['97300'], weight: 63, mobile: { prefixes: ['0694'], callingCode: '+594' } },
];

/** Countries of birth (INSEE COG country codes, 99xxx) for people born abroad. [code, weight]. */
export const COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ['99350', 12], // Maroc
  ['99352', 12], // Algérie
  ['99351', 6], // Tunisie
  ['99139', 8], // Portugal
  ['99134', 4], // Espagne
  ['99127', 4], // Italie
  ['99109', 3], // Allemagne
  ['99131', 3], // Belgique
  ['99132', 2], // Royaume-Uni
  ['99140', 2], // Suisse
  ['99341', 4], // Sénégal
  ['99243', 2], // Viet Nam
  ['99216', 2], // Chine
  ['99401', 1], // Canada
  ['99404', 1], // États-Unis
];

export const EMAIL_DOMAINS: readonly string[] = ['exemple.fr', 'example.org'];
