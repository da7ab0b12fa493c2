/** The kinds of legal units of the synthetic SIRENE stock, public (7xxx, 4110) and private, with their names. */
import {
  ASSOCIATIONS,
  BRANDS,
  communeName,
  FAMOUS,
  FIRST_NAMES,
  MUNICIPAL_SERVICES,
  pick,
  REGIONS,
  SURNAMES,
  TRADES,
  type Random,
} from './sirene-names.ts';

export type UnitNames = {
  denomination: string | null;
  sigle: string | null;
  person?: { firstName: string; surname: string; sex: 'M' | 'F' };
};
export type EstablishmentNames = { usualName: string | null; enseigne: string | null };

export type Kind = {
  weight: number;
  categories: readonly string[];
  naf: string;
  /** How many establishments a unit of this kind has (at least 1). */
  establishments: (random: Random) => number;
  unit: (random: Random, commune: string) => UnitNames;
  /** The names of its `index`-th establishment (0 = head office). */
  establishment: (random: Random, index: number, commune: string) => EstablishmentNames;
};

const none: EstablishmentNames = { usualName: null, enseigne: null };
/** Between 1 and max, evenly: about two establishments per legal unit over the whole stock. */
const upTo = (max: number) => (random: Random) => 1 + Math.floor(random() * max);
const initials = (text: string) =>
  text
    .split(/[\s']+/)
    .filter((w) => w.length > 2)
    .map((w) => w[0])
    .join('');

export const KINDS: readonly Kind[] = [
  {
    weight: 6,
    categories: ['7210'],
    naf: '84.11Z',
    establishments: upTo(7),
    unit: (_r, commune) => ({ denomination: `COMMUNE DE ${commune}`, sigle: null }),
    establishment: (random, index, commune) =>
      index === 0
        ? { usualName: random() < 0.5 ? `MAIRIE DE ${commune}` : null, enseigne: 'MAIRIE' }
        : { usualName: null, enseigne: pick(random, MUNICIPAL_SERVICES) },
  },
  {
    weight: 1.5,
    categories: ['7361'],
    naf: '88.99B',
    establishments: upTo(2),
    unit: (_r, commune) => ({ denomination: `CENTRE COMMUNAL D'ACTION SOCIALE DE ${commune}`, sigle: 'CCAS' }),
    establishment: () => none,
  },
  {
    weight: 1,
    categories: ['7346', '7348', '7344'],
    naf: '84.11Z',
    establishments: upTo(5),
    unit: (random) => {
      const region = pick(random, REGIONS);
      const name = random() < 0.7 ? `COMMUNAUTE DE COMMUNES DU ${region}` : `COMMUNAUTE D'AGGLOMERATION ${region}`;
      return { denomination: name, sigle: random() < 0.5 ? initials(name) : null };
    },
    establishment: (random, index) =>
      index === 0
        ? none
        : {
            usualName: null,
            enseigne: pick(random, ['DECHETTERIE', 'PISCINE COMMUNAUTAIRE', 'OFFICE DE TOURISME', 'MEDIATHEQUE']),
          },
  },
  {
    weight: 0.6,
    categories: ['7354', '7355'],
    naf: '36.00Z',
    establishments: upTo(2),
    unit: (random, commune) => {
      const sigle = pick(random, ['SIVOM', 'SIAEP', 'SIVU', 'SMICTOM', 'SDIS']);
      return { denomination: `SYNDICAT INTERCOMMUNAL DE ${commune}`, sigle };
    },
    establishment: () => none,
  },
  {
    weight: 1,
    categories: ['7331'],
    naf: '85.31Z',
    establishments: () => 1,
    unit: (random) => ({
      denomination: `${pick(random, ['LYCEE POLYVALENT', 'LYCEE GENERAL ET TECHNOLOGIQUE', 'COLLEGE', 'LYCEE PROFESSIONNEL'])} ${pick(random, FAMOUS)}`,
      sigle: null,
    }),
    establishment: () => none,
  },
  {
    weight: 0.3,
    categories: ['7364'],
    naf: '86.10Z',
    establishments: upTo(4),
    unit: (_r, commune) => ({ denomination: `CENTRE HOSPITALIER DE ${commune}`, sigle: 'CH' }),
    establishment: (random, index) =>
      index === 0
        ? none
        : { usualName: null, enseigne: pick(random, ['EHPAD', 'CENTRE DE SOINS', 'SERVICE DES URGENCES']) },
  },
  {
    weight: 0.5,
    categories: ['7120', '7171', '7389', '4110'],
    naf: '84.11Z',
    establishments: upTo(3),
    unit: (random, commune) => {
      const name = pick(random, [
        'DIRECTION DEPARTEMENTALE DES TERRITOIRES',
        'DIRECTION REGIONALE DES FINANCES PUBLIQUES',
        'PREFECTURE',
        'AGENCE REGIONALE DE SANTE',
        'OFFICE PUBLIC DE L HABITAT',
      ]);
      return { denomination: `${name} DE ${commune}`, sigle: initials(name) };
    },
    establishment: () => none,
  },
  {
    weight: 0.1,
    categories: ['7220', '7230'],
    naf: '84.11Z',
    establishments: upTo(6),
    unit: (random) => ({
      denomination: `${pick(random, ['DEPARTEMENT DE LA', 'DEPARTEMENT DU', 'REGION'])} ${pick(random, REGIONS)}`,
      sigle: null,
    }),
    establishment: (random, index) =>
      index === 0
        ? none
        : { usualName: null, enseigne: pick(random, ['COLLEGE', 'CENTRE ROUTIER', 'MAISON DES SOLIDARITES']) },
  },
  {
    weight: 22,
    categories: ['5710', '5499', '5599'],
    naf: '47.11F',
    establishments: upTo(4),
    unit: (random) => {
      const odd = random();
      // A few names with a comma or double quotes: INSEE quotes those fields, and the importer must read them back.
      if (odd < 0.01)
        return {
          denomination: `${pick(random, TRADES)} ${pick(random, SURNAMES)}, ${pick(random, SURNAMES)} ET FILS`,
          sigle: null,
        };
      if (odd < 0.015) return { denomination: `LE "${pick(random, BRANDS)}"`, sigle: null };
      const name =
        random() < 0.5
          ? `${pick(random, TRADES)} ${pick(random, SURNAMES)}`
          : `${pick(random, BRANDS)} ${pick(random, TRADES)}`;
      return { denomination: name, sigle: random() < 0.1 ? initials(name) : null };
    },
    establishment: (random) =>
      random() < 0.3 ? { usualName: null, enseigne: `${pick(random, TRADES)} ${pick(random, BRANDS)}` } : none,
  },
  {
    weight: 8,
    categories: ['6540'],
    naf: '68.20B',
    establishments: () => 1,
    unit: (random) => ({ denomination: `SCI ${pick(random, SURNAMES)} ${pick(random, BRANDS)}`, sigle: null }),
    establishment: () => none,
  },
  {
    weight: 10,
    categories: ['9220'],
    naf: '94.99Z',
    establishments: upTo(2),
    unit: (random, commune) => ({ denomination: `${pick(random, ASSOCIATIONS)} DE ${commune}`, sigle: null }),
    establishment: () => none,
  },
  {
    weight: 25,
    categories: ['1000'],
    naf: '43.22A',
    establishments: upTo(2),
    unit: (random) => ({
      denomination: null,
      sigle: null,
      person: {
        firstName: pick(random, FIRST_NAMES),
        surname: pick(random, SURNAMES),
        sex: random() < 0.5 ? 'M' : 'F',
      },
    }),
    establishment: (random) =>
      random() < 0.4 ? { usualName: null, enseigne: `${pick(random, TRADES)} ${pick(random, SURNAMES)}` } : none,
  },
];

const TOTAL_WEIGHT = KINDS.reduce((sum, kind) => sum + kind.weight, 0);

export function pickKind(random: Random): Kind {
  let target = random() * TOTAL_WEIGHT;
  for (const kind of KINDS) {
    target -= kind.weight;
    if (target < 0) return kind;
  }
  return KINDS[KINDS.length - 1] as Kind;
}

export { communeName };
