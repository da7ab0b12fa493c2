import type { PageEntry } from './page-entry.ts';

/**
 * The pages of « Tableau de bord » (after approval): the crawl's authorizations are n° 1 (active, with token n° 1)
 * and n° 2 (revoked), its endpoints probed states and one incident (test/helpers/fixtures.ts).
 */
export const DASHBOARD_PAGES: readonly PageEntry[] = [
  // The crawl's authorizations (test/helpers/fixtures.ts): n° 1 active with token n° 1, n° 2 revoked.
  {
    path: '/tableau-de-bord',
    label: 'Tableau de bord',
    area: 'tableau-de-bord',
    access: 'user',
    alsoAs: ['admin'], // in no organisation: no authorization yet
  },
  {
    path: '/tableau-de-bord/habilitations/:id',
    label: 'Une habilitation',
    area: 'tableau-de-bord',
    access: 'user',
    examples: ['/tableau-de-bord/habilitations/1', '/tableau-de-bord/habilitations/2'],
  },
  {
    path: '/tableau-de-bord/jetons',
    label: 'Jetons d’accès',
    area: 'tableau-de-bord',
    access: 'user',
    alsoAs: ['admin'],
  },
  // needs a recent password: the crawl has just signed in
  { path: '/tableau-de-bord/jetons/nouveau', label: 'Créer un jeton d’accès', area: 'tableau-de-bord', access: 'user' },
  // without a token just made in the session: « déjà affiché » (the token itself is checked by the browser journey)
  {
    path: '/tableau-de-bord/jetons/nouveau-jeton',
    label: 'Votre nouveau jeton d’accès',
    area: 'tableau-de-bord',
    access: 'user',
  },
  {
    path: '/tableau-de-bord/jetons/:id/renouveler',
    label: 'Renouveler un jeton',
    area: 'tableau-de-bord',
    access: 'user',
    examples: ['/tableau-de-bord/jetons/1/renouveler'],
  },
  {
    path: '/tableau-de-bord/jetons/:id/revoquer',
    label: 'Révoquer un jeton',
    area: 'tableau-de-bord',
    access: 'user',
    examples: ['/tableau-de-bord/jetons/1/revoquer'],
  },
  // The crawl's endpoints probe a local stub (up, slow, down); one incident is posted (test/helpers/fixtures.ts).
  {
    path: '/tableau-de-bord/endpoints',
    label: 'État de mes endpoints',
    area: 'tableau-de-bord',
    access: 'user',
    alsoAs: ['admin'], // no authorization: nothing to show yet
  },
];
