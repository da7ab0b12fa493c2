import type { PageEntry } from './page-entry.ts';

/**
 * The pages of requests made on démarches simplifiées before 27/08/2019. The crawls import the sample exports
 * (test/helpers/legacy.ts): n° 2041 of the fixture's organisation, linked to authorization n° 1; n° 2043 carrying the
 * fixture user's email and no SIRET; n° 1103 from the spreadsheet; n° 2042 of another organisation.
 */
export const LEGACY_PAGES: readonly PageEntry[] = [
  {
    path: '/demandes/anterieures/:numero',
    label: 'Une demande antérieure au 27/08/2019',
    area: 'compte',
    access: 'user',
    examples: ['/demandes/anterieures/2041', '/demandes/anterieures/2043', '/demandes/anterieures/1103'],
  },
  {
    path: '/instruction/demarches-simplifiees/:numero',
    label: 'Instruction d’un dossier démarches simplifiées',
    area: 'instruction',
    access: 'instructor',
    examples: ['/instruction/demarches-simplifiees/2041', '/instruction/demarches-simplifiees/2042'],
  },
];
