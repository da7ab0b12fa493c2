import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DECISION_KINDS, DECISIONS } from '../domain/decisions.ts';
import { STEPS } from '../forms/steps/index.ts';
import { DASHBOARD_PAGES } from './dashboard-pages.ts';
import { LEGACY_PAGES } from './legacy-pages.ts';
import type { PageEntry } from './page-entry.ts';

export type { PageEntry };

const catalogue = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../data/api-entreprise-catalogue.json'), 'utf8'),
) as { use_cases: { id: string; startable_by_applicant: boolean }[] };

/** The error pages, previewed under /dev/erreurs/:code. */
export const ERROR_PAGE_CODES = ['400', '403', '404', '409', '413', '415', '429', '500', '503'];

/**
 * Every GET page of the service. The browser suite crawls each entry (axe + HTML validation, JS on and off), the
 * site map lists the public ones, and outside production rendering a page whose route is not here fails, so a new
 * page cannot be forgotten.
 */
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
  { path: '/statut', label: 'État des services de l’API Entreprise', area: 'public', inSitemap: true },
  {
    path: '/eligibilite/:siret',
    label: 'Résultat de la vérification',
    area: 'public',
    // eligible public body, private company, closed establishment, unknown SIRET
    examples: [
      '/eligibilite/13002526500013',
      '/eligibilite/55203253400703',
      '/eligibilite/21920023500022',
      '/eligibilite/73282932000074',
    ],
  },
  { path: '/cgu', label: 'Conditions générales d’utilisation', area: 'public', inSitemap: true },
  { path: '/accessibilite', label: 'Accessibilité', area: 'public', inSitemap: true },
  { path: '/mentions-legales', label: 'Mentions légales', area: 'public', inSitemap: true },
  { path: '/donnees-personnelles', label: 'Données personnelles', area: 'public', inSitemap: true },
  { path: '/plan-du-site', label: 'Plan du site', area: 'public', inSitemap: true },
  {
    path: '/recherche-organisation',
    label: 'Retrouver le SIRET de votre organisation',
    area: 'public',
    inSitemap: true,
    examples: [
      '/recherche-organisation',
      '/recherche-organisation?nom=clamart',
      '/recherche-organisation?nom=zzzzzz',
      '/recherche-organisation?nom=ab',
    ],
  },
  { path: '/inscription', label: 'Créer un compte', area: 'compte', inSitemap: true },
  { path: '/inscription/confirmation', label: 'Vérifiez votre boîte de réception', area: 'compte' },
  { path: '/connexion', label: 'Se connecter', area: 'compte', inSitemap: true },
  { path: '/connexion/deconnecte', label: 'Vous êtes déconnecté', area: 'compte' },
  { path: '/activation', label: 'Activer votre compte', area: 'compte' },
  { path: '/mot-de-passe-oublie', label: 'Mot de passe oublié', area: 'compte', inSitemap: true },
  { path: '/mot-de-passe-oublie/envoye', label: 'Lien envoyé', area: 'compte' },
  { path: '/mot-de-passe/nouveau', label: 'Choisir un nouveau mot de passe', area: 'compte' },
  { path: '/compte', label: 'Mon compte', area: 'compte', access: 'user', inSitemap: true },
  // a staff session between the password and the code (the admin crawled is enrolled, so this is the verification)
  {
    path: '/compte/double-authentification',
    label: 'Double authentification',
    area: 'compte',
    access: 'second-factor',
  },
  {
    path: '/compte/double-authentification/code-de-secours',
    label: 'Utiliser un code de secours',
    area: 'compte',
    access: 'second-factor',
  },
  // a staff member's recovery codes (the codes themselves, shown once after a POST, are checked by the browser journey)
  { path: '/compte/codes-de-secours', label: 'Mes codes de secours', area: 'compte', access: 'instructor' },
  { path: '/compte/mot-de-passe', label: 'Changer mon mot de passe', area: 'compte', access: 'user' },
  { path: '/compte/sessions', label: 'Mes sessions ouvertes', area: 'compte', access: 'user' },
  {
    path: '/compte/confirmer-mot-de-passe',
    label: 'Confirmer votre mot de passe',
    area: 'compte',
    access: 'user',
    examples: ['/compte/confirmer-mot-de-passe?retour=/compte/adresse-electronique'],
  },
  // needs a recent password (recent re-authentication): the crawl has just signed in
  { path: '/compte/adresse-electronique', label: 'Changer mon adresse électronique', area: 'compte', access: 'user' },
  // without a link in the session: the « lien expiré » page
  { path: '/invitation', label: 'Choisir votre mot de passe (invitation d’un contact)', area: 'compte' },
  // without a link in the session: the « lien expiré » page
  { path: '/adresse-electronique/confirmer', label: 'Confirmer la nouvelle adresse électronique', area: 'compte' },
  { path: '/organisations', label: 'Mes organisations', area: 'compte', access: 'user' },
  { path: '/organisations/rejoindre', label: 'Rejoindre une organisation', area: 'compte', access: 'user' },
  { path: '/demandes', label: 'Mes demandes', area: 'compte', access: 'user', inSitemap: true },
  { path: '/demandes/nouvelle', label: 'Nouvelle demande', area: 'compte', access: 'user', inSitemap: true },
  {
    path: '/demandes/:id/:etape',
    label: 'Une étape de la demande',
    area: 'compte',
    access: 'user',
    // request n° 1: the crawls create it first (test/helpers/fixtures.ts createRequest) on a fresh database
    examples: STEPS.map((step) => `/demandes/1/${step.slug}`),
  },
  {
    path: '/demandes/:id/recapitulatif',
    label: 'Récapitulatif de la demande',
    area: 'compte',
    access: 'user',
    examples: ['/demandes/1/recapitulatif'],
  },
  {
    path: '/instruction',
    label: 'Instruction des demandes',
    area: 'instruction',
    access: 'instructor',
    // the whole list, a status with results, a search that finds nothing
    // … and the dossiers of démarches simplifiées (all of them, a search by number), the requests' search naming them
    examples: [
      '/instruction',
      '/instruction?statut=submitted&tri=modification',
      '/instruction?q=introuvable',
      '/instruction?origine=demarches-simplifiees',
      '/instruction?origine=demarches-simplifiees&q=2041&attribution=moi',
      '/instruction?q=2041',
    ],
    refusedExamples: ['/instruction?du=31/02/2027&statut=inconnu', '/instruction?origine=inconnue'],
  },
  {
    path: '/instruction/statistiques',
    label: 'Statistiques de l’instruction',
    area: 'instruction',
    access: 'instructor',
  },
  {
    path: '/instruction/demandes/:id',
    label: 'Instruction d’une demande',
    area: 'instruction',
    access: 'instructor',
    // The crawl's requests (test/browser/crawl.test.ts): n° 2 submitted twice (what changed), 3 sent back for
    // changes, 4 validated, 5 refused, 6 revoked, 7 archived.
    examples: [2, 3, 4, 5, 6, 7].map((n) => `/instruction/demandes/${n}`),
  },
  ...DECISION_KINDS.map((kind): PageEntry => ({
    path: `/instruction/demandes/:id/${kind}`,
    label: DECISIONS[kind].title,
    area: 'instruction',
    access: 'instructor',
    examples: [kind === 'revoquer' ? '/instruction/demandes/4/revoquer' : `/instruction/demandes/2/${kind}`],
    // a refused request can no longer be decided
    conflictExamples: kind === 'valider' ? ['/instruction/demandes/5/valider'] : undefined,
  })),
  ...DASHBOARD_PAGES,
  ...LEGACY_PAGES,
  { path: '/admin/moderation', label: 'Modération des rattachements', area: 'admin', access: 'admin' },
  {
    path: '/admin/moderation/:id',
    label: 'Dossier de modération',
    area: 'admin',
    access: 'admin',
    examplesFrom: '/admin/moderation',
  },
  { path: '/admin/utilisateurs', label: 'Utilisateurs et rôles', area: 'admin', access: 'admin' },
  { path: '/admin/modeles', label: 'Modèles de décision', area: 'admin', access: 'admin' },
  {
    path: '/admin/modeles/:id',
    label: 'Un modèle de décision',
    area: 'admin',
    access: 'admin',
    examplesFrom: '/admin/modeles',
  },
  { path: '/admin/incidents', label: 'Incidents des endpoints', area: 'admin', access: 'admin' },
  { path: '/admin/incidents/nouveau', label: 'Publier un incident', area: 'admin', access: 'admin' },
  {
    path: '/admin/incidents/:id',
    label: 'Un incident',
    area: 'admin',
    access: 'admin',
    examplesFrom: '/admin/incidents',
  },
  { path: '/admin/webhooks', label: 'Webhooks', area: 'admin', access: 'admin' },
  {
    path: '/admin/webhooks/:id',
    label: 'Un webhook',
    area: 'admin',
    access: 'admin',
    examplesFrom: '/admin/webhooks',
  },
  { path: '/admin/journal', label: 'Journal des actions d’administration', area: 'admin', access: 'admin' },
  { path: '/dev/courriels', label: 'Courriels envoyés (développement)', area: 'dev' },
  { path: '/dev/courriels/:id', label: 'Un courriel (développement)', area: 'dev', examplesFrom: '/dev/courriels' },
  { path: '/dev/composants', label: 'Composants (développement)', area: 'dev' },
  {
    path: '/dev/erreurs/:code',
    label: 'Pages d’erreur (développement)',
    area: 'dev',
    examples: ERROR_PAGE_CODES.map((code) => `/dev/erreurs/${code}`),
  },
];

const registered = new Set(PAGES.map((p) => p.path));

export function isRegisteredPage(routePath: string): boolean {
  return registered.has(routePath);
}
