import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './knex.ts';
import { hashPassword } from '../domain/passwords.ts';
import { frenchTypography as typeset } from '../domain/typography.ts';

const dataDir = path.resolve(import.meta.dirname, '../../data');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(path.join(dataDir, name), 'utf8')) as T;

type Catalogue = {
  groups: string[];
  scopes: {
    id: string;
    label: string;
    description?: string;
    provider: string;
    group: string;
    open_data: boolean;
    included_by_default: boolean;
    personal_data: boolean | null;
    catalogue_link?: string;
    status?: string;
  }[];
  use_cases: {
    id: string;
    label: string;
    description: string;
    scopes: string[];
    included_open_data_scopes: string[];
    disabled_scopes: string[];
    hidden_scopes: string[];
    startable_by_applicant: boolean;
    legal_basis?: { title?: string; url?: string } | null;
  }[];
};
type LegalCategories = {
  eligible_codes: string[];
  categories: { code: string; label: string }[];
  related_public_or_quasi_public_codes_not_in_eligible_codes: { code: string; label: string }[];
};
type SireneSample = {
  establishments: {
    siret: string;
    siren: string;
    name: string;
    sigle: string | null;
    enseigne: string | null;
    legal_category_code: string | null;
    naf: string | null;
    naf_label: string | null;
    street: string | null;
    postal_code: string | null;
    city: string | null;
    active: boolean;
  }[];
};

/**
 * The modes of a use case's scopes; a scope listed twice keeps the most restrictive mode. As in DataPass, a disabled
 * scope keeps the state the use case gives it: ticked when it is one of the use case's scopes (`locked`, e.g. the three
 * scopes of « Socle de base »), unticked otherwise (`disabled`).
 */
function useCaseScopeRows(useCase: Catalogue['use_cases'][number]) {
  const modes = new Map<string, string>();
  for (const id of useCase.scopes) modes.set(id, 'preticked');
  for (const id of useCase.included_open_data_scopes) modes.set(id, 'included');
  for (const id of useCase.disabled_scopes) modes.set(id, useCase.scopes.includes(id) ? 'locked' : 'disabled');
  for (const id of useCase.hidden_scopes) modes.set(id, 'hidden');
  return [...modes].map(([scope_id, mode]) => ({ use_case_id: useCase.id, scope_id, mode }));
}

export type EndpointSeedFile = {
  endpoints: { id: string; label: string; path: string; scopes: string[] }[];
};

/** The endpoints « État des endpoints » probes (data/endpoints.json), labels typeset. */
export function endpointSeeds(): EndpointSeedFile['endpoints'] {
  return readJson<EndpointSeedFile>('endpoints.json').endpoints.map((e) => ({ ...e, label: typeset(e.label) }));
}

/** Reference data needed everywhere, production included: the API Entreprise catalogue and INSEE legal categories. Idempotent. */
export async function seedReferenceData(db: Db): Promise<void> {
  const catalogue = readJson<Catalogue>('api-entreprise-catalogue.json');
  const categories = readJson<LegalCategories>('legal-categories.json');
  const { descriptions } = readJson<{ descriptions: Record<string, string> }>('cas-usage.fr.json');
  const labels = readJson<{
    scopes: Record<string, string>;
    use_cases: Record<string, string>;
    legal_basis_titles: Record<string, string>;
  }>('libelles.fr.json');
  const text = (value: string | null | undefined) => (value ? typeset(value) : null);
  await db.transaction(async (trx) => {
    const groups = [...new Set([...catalogue.groups, ...catalogue.scopes.map((s) => s.group)])];
    await trx('scope_groups')
      .insert(groups.map((label, position) => ({ label, position })))
      .onConflict('label')
      .merge();
    await trx('scopes')
      .insert(
        catalogue.scopes.map((s, position) => ({
          id: s.id,
          label: text(labels.scopes[s.id] ?? s.label),
          description: text(s.description),
          provider: s.provider,
          group_label: s.group,
          open_data: s.open_data,
          included_by_default: s.included_by_default,
          personal_data: s.personal_data,
          catalogue_link: s.catalogue_link ?? null,
          status: s.status ?? 'current',
          position,
        })),
      )
      .onConflict('id')
      .merge();
    await trx('use_cases')
      .insert(
        catalogue.use_cases.map((u, position) => ({
          id: u.id,
          label: text(labels.use_cases[u.id] ?? u.label),
          description: text(descriptions[u.id] ?? u.description),
          startable_by_applicant: u.startable_by_applicant,
          legal_basis_title: text(labels.legal_basis_titles[u.id] ?? u.legal_basis?.title),
          legal_basis_url: u.legal_basis?.url ?? null,
          position,
        })),
      )
      .onConflict('id')
      .merge();
    await trx('use_case_scopes').del();
    await trx('use_case_scopes').insert(catalogue.use_cases.flatMap(useCaseScopeRows));
    await seedLegalCategories(trx, categories);
  });
}

/** INSEE's legal categories, eligible or not, and the labels of the others, so that the directory never shows a bare code. */
async function seedLegalCategories(trx: Db, categories: LegalCategories): Promise<void> {
  const eligible = new Set(categories.eligible_codes);
  await trx('legal_categories')
    .insert(
      categories.categories.map((c) => ({ code: c.code, label: typeset(c.label), eligible: eligible.has(c.code) })),
    )
    .onConflict('code')
    .merge();
  const known = new Set(categories.categories.map((c) => c.code));
  const others = [
    ...categories.related_public_or_quasi_public_codes_not_in_eligible_codes,
    ...readJson<LegalCategories>('categories-juridiques-autres.fr.json').categories,
  ].filter((c, index, all) => !known.has(c.code) && all.findIndex((o) => o.code === c.code) === index);
  await trx('legal_categories')
    .insert(others.map((c) => ({ code: c.code, label: typeset(c.label), eligible: false })))
    .onConflict('code')
    .merge();
}

/** The offline SIRENE sample, for development and tests (production fills the directory from INSEE's stock files). */
export async function seedSireneSample(db: Db): Promise<void> {
  const sirene = readJson<SireneSample>('sirene-sample.json');
  await db('establishments')
    .insert(
      sirene.establishments.map((e) => ({
        siret: e.siret,
        siren: e.siren,
        name: e.name,
        sigle: e.sigle,
        enseigne: e.enseigne,
        legal_category_code: e.legal_category_code,
        naf: e.naf,
        naf_label: e.naf_label,
        street: e.street,
        postal_code: e.postal_code,
        city: e.city,
        active: e.active,
      })),
    )
    .onConflict('siret')
    .merge();
}

export const DEMO_INSTRUCTOR = { email: 'instructeur@signup.localhost', password: 'demo-instructeur-signup' };

/** A demo instructor for the embedded database only (never in production). */
export async function seedDemoInstructor(db: Db): Promise<void> {
  const exists = await db('users').whereRaw('lower(email) = ?', [DEMO_INSTRUCTOR.email]).first('id');
  if (exists) return;
  await db('users').insert({
    email: DEMO_INSTRUCTOR.email,
    given_name: 'Camille',
    family_name: 'Instructrice',
    password_hash: await hashPassword(DEMO_INSTRUCTOR.password),
    roles: ['instructor'],
    activated_at: db.fn.now(),
  });
}
