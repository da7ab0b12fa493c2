/**
 * The six steps of an access request as a person fills them in the browser journey (journey.test.ts): how the
 * error state is reached (the step as loaded, or a bad value), how the step is then corrected on its error page, and
 * what the database must hold afterwards.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Mode } from '../helpers/browser.ts';
import { tick } from './journey-checks.ts';

export type Applicant = { givenName: string; familyName: string; email: string; phone: string; jobTitle: string };

export type StepScript = {
  slug: string;
  h1: string;
  /** Run on the step as loaded before « Continuer » to reach the error state; none: « Continuer » on the step as it is. */
  spoil?: (page: Page) => Promise<void>;
  /** The id the error summary's first link must point to. */
  firstError: string;
  /** Corrects the step on its error page, as a person would. */
  fill: (page: Page) => Promise<void>;
  /** Some of the answers the database must hold once the step is done (`verify` for those that are not plain values). */
  stored: Record<string, unknown>;
  verify?: (answers: Record<string, unknown>) => void;
};

const LEGIFRANCE = 'www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037730589';
const REFERENCE = 'Article R2143-13 du Code de la commande publique';

/** Contacts typed by hand (the DPD is filled with « C’est moi »). */
const CONTACTS: Record<'controller' | 'business' | 'technical', Applicant> = {
  controller: {
    givenName: 'Jean',
    familyName: 'Martin',
    email: 'jean.martin@clamart.fr',
    phone: '01 46 62 35 00',
    jobTitle: 'Directeur général des services',
  },
  business: {
    givenName: 'Sophie',
    familyName: 'Bernard',
    email: 'sophie.bernard@clamart.fr',
    phone: '01 46 62 35 10',
    jobTitle: 'Responsable des achats',
  },
  technical: {
    givenName: 'Karim',
    familyName: 'Haddad',
    email: 'karim.haddad@clamart.fr',
    phone: '06 12 34 56 78',
    jobTitle: 'Développeur',
  },
};

async function fillContact(page: Page, role: string, person: Applicant): Promise<void> {
  await page.fill(`#${role}GivenName`, person.givenName);
  await page.fill(`#${role}FamilyName`, person.familyName);
  await page.fill(`#${role}Email`, person.email);
  await page.fill(`#${role}Phone`, person.phone);
  await page.fill(`#${role}JobTitle`, person.jobTitle);
}

/** The data step as loaded: included open data ticked and locked, the use case's scopes pre-ticked, some disabled. */
export async function assertScopesAsLoaded(page: Page): Promise<void> {
  const count = (selector: string) => page.locator(`input[name="scopes"]${selector}`).count();
  assert.ok((await count(':checked:disabled')) > 0, 'données publiques cochées et verrouillées');
  assert.ok((await count(':checked:not(:disabled)')) > 0, 'données du cas d’usage pré-cochées');
  assert.ok((await count(':disabled:not(:checked)')) > 0, 'données non disponibles pour ce cas d’usage, désactivées');
}

export function stepScripts(mode: Mode): StepScript[] {
  const title = `Achats publics de la commune (${mode === 'js-on' ? 'avec' : 'sans'} JavaScript)`;
  const description = 'Vérification des pièces des candidats aux marchés publics de la commune.';
  return [
    {
      slug: 'demarche',
      h1: 'Votre démarche',
      firstError: 'title',
      fill: async (page) => {
        await page.fill('#title', title);
        await page.fill('#description', description);
        await page.fill('#goLiveDate', '01/03/2027');
        await tick(page, 'radio', 'De 1 000 à 10 000 appels par jour');
      },
      stored: { title, description, goLiveDate: '2027-03-01', volume: 'moyen' },
    },
    {
      slug: 'donnees',
      h1: 'Données',
      firstError: 'scopes',
      spoil: async (page) => {
        const ids = await page
          .locator('input[name="scopes"]:checked:not(:disabled)')
          .evaluateAll((boxes) => boxes.map((box) => box.id));
        for (const id of ids) await page.locator(`label[for="${id}"]`).click();
      },
      fill: async (page) => {
        await tick(page, 'checkbox', /^Attestation fiscale - DGFIP/);
        await tick(page, 'checkbox', /^Attestation de vigilance - Urssaf/);
      },
      stored: {},
      verify: (answers) => {
        const scopes = answers.scopes as string[];
        for (const id of [
          'attestation_fiscale_dgfip',
          'attestation_sociale_urssaf',
          'open_data_unites_legales_etablissements_insee',
        ])
          assert.ok(scopes.includes(id), `${id} parmi les données enregistrées`);
        assert.ok(!scopes.includes('unites_legales_etablissements_insee'), 'une donnée décochée n’est pas enregistrée');
      },
    },
    {
      slug: 'cadre-juridique',
      h1: 'Cadre juridique',
      firstError: 'url',
      spoil: async (page) => {
        await page.getByLabel('Nature du texte').selectOption({ label: 'Décret' });
        await page.fill('#reference', REFERENCE);
        await page.fill('#url', `http://${LEGIFRANCE}`);
      },
      fill: async (page) => {
        assert.equal(
          await page.inputValue('#reference'),
          REFERENCE,
          'la référence saisie est conservée sur la page d’erreur',
        );
        assert.equal(
          await page.inputValue('#nature'),
          'decret',
          'la nature choisie est conservée sur la page d’erreur',
        );
        await page.fill('#url', `https://${LEGIFRANCE}`);
      },
      stored: { nature: 'decret', reference: REFERENCE, url: `https://${LEGIFRANCE}` },
    },
    {
      slug: 'donnees-personnelles',
      h1: 'Données personnelles',
      firstError: 'retentionJustification',
      spoil: async (page) => {
        await page.fill('#recipients', 'Les agents du service de la commande publique');
        await page.fill('#retentionMonths', '48');
      },
      fill: async (page) => {
        await page.fill(
          '#retentionJustification',
          'Durée de conservation des pièces des marchés imposée par le Code de la commande publique.',
        );
      },
      stored: { recipients: 'Les agents du service de la commande publique', retentionMonths: 48 },
    },
    {
      slug: 'contacts',
      h1: 'Contacts',
      firstError: 'dpoGivenName',
      fill: async (page) => {
        for (const [role, person] of Object.entries(CONTACTS)) await fillContact(page, role, person);
      },
      stored: { controllerEmail: CONTACTS.controller.email, technicalPhone: '+33612345678' },
    },
    {
      slug: 'cgu',
      h1: 'Conditions générales d’utilisation',
      firstError: 'accept',
      fill: async (page) => {
        await tick(page, 'checkbox', 'J’accepte les conditions générales d’utilisation de l’API Entreprise');
        await tick(page, 'checkbox', /^Je confirme que le délégué ou la déléguée à la protection des données/);
      },
      stored: { accept: 'oui', dpoInformed: 'oui' },
    },
  ];
}

/**
 * Fills a step completely, whatever the use case, as a person would: on the data step, the boxes the use case ticks
 * are kept, and one box is ticked when it ticks nothing that counts. `dpo`: the person typed in as the DPD.
 */
export async function fillStep(page: Page, slug: string, title: string, dpo: Applicant): Promise<void> {
  switch (slug) {
    case 'demarche':
      await page.fill('#title', title);
      await page.fill('#description', 'Vérification des pièces des candidats aux marchés publics de la commune.');
      await page.fill('#goLiveDate', '01/03/2027');
      await tick(page, 'radio', 'Moins de 1 000 appels par jour');
      return;
    case 'donnees': {
      const preticked = await page.locator('input[name="scopes"]:checked:not(:disabled)').count();
      const locked = await page.locator('.fr-hint-text', { hasText: 'Comprise dans ce cas d’usage' }).count();
      if (preticked + locked === 0) {
        const first = page.locator('input[name="scopes"]:not(:disabled)').first();
        await page.locator(`label[for="${await first.getAttribute('id')}"]`).click();
      }
      return;
    }
    case 'cadre-juridique':
      await page.getByLabel('Nature du texte').selectOption({ label: 'Délibération' });
      await page.fill('#reference', 'Délibération n° 2026-12 du conseil municipal');
      await page.fill('#url', `https://${LEGIFRANCE}`);
      return;
    case 'donnees-personnelles':
      await page.fill('#recipients', 'Les agents du service de la commande publique');
      await page.fill('#retentionMonths', '36');
      return;
    case 'contacts':
      await fillContact(page, 'dpo', dpo);
      for (const [role, person] of Object.entries(CONTACTS)) await fillContact(page, role, person);
      return;
    case 'cgu':
      await tick(page, 'checkbox', 'J’accepte les conditions générales d’utilisation de l’API Entreprise');
      await tick(page, 'checkbox', /^Je confirme que le délégué ou la déléguée à la protection des données/);
      return;
    default:
      throw new Error(`Étape inconnue : ${slug}`);
  }
}
