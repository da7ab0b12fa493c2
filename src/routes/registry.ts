import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every GET page of the service. The browser suite crawls each entry (axe + HTML validation, JS on and off), the
 * site map lists the public ones, and outside production rendering a page whose route is not here fails, so a new
 * page cannot be forgotten.
 */
export type PageEntry = {
  path: string;
  label: string;
  area: 'public' | 'dev';
  /** Concrete URLs for routes with parameters. */
  examples?: string[];
  /** For routes whose examples exist only at run time: take them from the links of this page that match `path`. */
  examplesFrom?: string;
  /** Shown in the site map. */
  inSitemap?: boolean;
};

const catalogue = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../data/api-entreprise-catalogue.json'), 'utf8'),
) as { use_cases: { id: string; startable_by_applicant: boolean }[] };

export const PAGES: readonly PageEntry[] = [
  { path: '/', label: 'Accueil', area: 'public', inSitemap: true },
  { path: '/cas-usage', label: 'Cas d’usage', area: 'public', inSitemap: true },
  {
    path: '/cas-usage/:id',
    label: 'Un cas d’usage',
    area: 'public',
    examples: catalogue.use_cases.filter((u) => u.startable_by_applicant).map((u) => `/cas-usage/${u.id}`),
  },
  { path: '/eligibilite', label: 'Vérifier l’éligibilité de votre organisation', area: 'public', inSitemap: true },
  {
    path: '/eligibilite/:siret',
    label: 'Résultat de la vérification',
    area: 'public',
    // eligible public body, private company, closed establishment, unknown SIRET
    examples: ['/eligibilite/13002526500013', '/eligibilite/55203253400703', '/eligibilite/21920023500022', '/eligibilite/73282932000074'],
  },
  { path: '/cgu', label: 'Conditions générales d’utilisation', area: 'public', inSitemap: true },
  { path: '/accessibilite', label: 'Accessibilité', area: 'public', inSitemap: true },
  { path: '/mentions-legales', label: 'Mentions légales', area: 'public', inSitemap: true },
  { path: '/donnees-personnelles', label: 'Données personnelles', area: 'public', inSitemap: true },
  { path: '/plan-du-site', label: 'Plan du site', area: 'public', inSitemap: true },
  { path: '/dev/courriels', label: 'Courriels envoyés (développement)', area: 'dev' },
  { path: '/dev/courriels/:id', label: 'Un courriel (développement)', area: 'dev', examplesFrom: '/dev/courriels' },
  { path: '/dev/composants', label: 'Composants (développement)', area: 'dev' },
  {
    path: '/dev/erreurs/:code',
    label: 'Pages d’erreur (développement)',
    area: 'dev',
    examples: ['403', '404', '413', '429', '500', '503'].map((code) => `/dev/erreurs/${code}`),
  },
];

const registered = new Set(PAGES.map((p) => p.path));

export function isRegisteredPage(routePath: string): boolean {
  return registered.has(routePath);
}
