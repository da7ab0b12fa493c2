/**
 * What the autosave bench needs before loading SignUp: N applicants of one organisation, each with a draft of their
 * own, written straight into the bench's database (one argon2 hash for all: same password); then each signs in through
 * the real sign-in form (a real session cookie, regenerated at sign-in) and opens the first step of their draft, whose
 * form gives the hidden fields an autosave sends back (CSRF token, version, base…).
 */
import * as cheerio from 'cheerio';
import { createDb, type Db } from '../src/db/knex.ts';
import { hashPassword } from '../src/domain/passwords.ts';
import { sessionCookie } from './staff-session.ts';

/** The embedded PostgreSQL's credentials (src/db/embedded.ts) and the database SignUp creates in it (src/db/resolve.ts). */
export function embeddedDatabaseUrl(port: number): string {
  return `postgres://signup:signup-embedded@127.0.0.1:${port}/signup`;
}

const SIRET = '21920023500014'; // COMMUNE DE CLAMART, in the SIRENE sample loaded at start-up
const PASSWORD = 'mot de passe du banc d’essai, assez long';

export type Applicant = {
  email: string;
  requestId: string;
  /** `name=value` of the session cookie. */
  cookie: string;
  /** The step's URL path, and the hidden fields of its form (CSRF token, version, base…) as the page gave them. */
  stepPath: string;
  hidden: Record<string, string>;
};

async function createApplicants(db: Db, count: number): Promise<{ email: string; requestId: string }[]> {
  const passwordHash = await hashPassword(PASSWORD);
  const [organisation] = (await db('organisations')
    .insert({ siret: SIRET, name: 'COMMUNE DE CLAMART' })
    .onConflict('siret')
    .merge()
    .returning('id')) as { id: string }[];
  const result: { email: string; requestId: string }[] = [];
  for (let i = 1; i <= count; i += 1) {
    const email = `agent.banc.${i}@clamart.fr`;
    const [user] = (await db('users')
      .insert({
        email,
        given_name: 'Agent',
        family_name: `Banc ${i}`,
        password_hash: passwordHash,
        roles: [],
        activated_at: db.fn.now(),
      })
      .returning('id')) as { id: string }[];
    await db('memberships').insert({ user_id: user!.id, organisation_id: organisation!.id, status: 'active' });
    const [request] = (await db('access_requests')
      .insert({
        organisation_id: organisation!.id,
        created_by: user!.id,
        updated_by: user!.id,
        use_case_id: 'marches_publics',
      })
      .returning('id')) as { id: string }[];
    result.push({ email, requestId: request!.id });
  }
  return result;
}

async function get(url: string, cookie?: string): Promise<{ response: Response; html: string }> {
  const response = await fetch(url, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return { response, html: await response.text() };
}

/** Signs in through GET + POST /connexion, then reads the first step of the applicant's draft. */
async function signIn(baseUrl: string, applicant: { email: string; requestId: string }): Promise<Applicant> {
  const form = await get(`${baseUrl}/connexion`);
  const csrf = cheerio.load(form.html)('main form input[name="_csrf"]').attr('value');
  if (!csrf) throw new Error('no CSRF token on /connexion');
  const posted = await fetch(`${baseUrl}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
    headers: { cookie: sessionCookie(form.response), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email: applicant.email, password: PASSWORD }).toString(),
  });
  await posted.arrayBuffer();
  if (posted.status !== 303) throw new Error(`sign-in of ${applicant.email}: HTTP ${posted.status}`);
  const cookie = sessionCookie(posted);
  const stepPath = `/demandes/${applicant.requestId}/demarche`;
  const step = await get(baseUrl + stepPath, cookie);
  if (step.response.status !== 200) throw new Error(`GET ${stepPath}: HTTP ${step.response.status}`);
  const $ = cheerio.load(step.html);
  const hidden = Object.fromEntries(
    $('form[data-hx-post] input[type="hidden"]')
      .toArray()
      .map((input) => [$(input).attr('name') ?? '', $(input).attr('value') ?? '']),
  );
  if (!hidden._csrf || !hidden.version) throw new Error(`${stepPath}: the step form has no _csrf or version field`);
  return { ...applicant, cookie, stepPath, hidden };
}

/** Creates `count` applicants with a draft each and signs them in, a few at a time (argon2 is deliberately slow). */
export async function prepareApplicants(databaseUrl: string, baseUrl: string, count: number): Promise<Applicant[]> {
  const db = createDb(databaseUrl, { timeoutMs: 10_000 });
  try {
    const created = await createApplicants(db, count);
    const signedIn: Applicant[] = [];
    for (let i = 0; i < created.length; i += 4)
      signedIn.push(...(await Promise.all(created.slice(i, i + 4).map((a) => signIn(baseUrl, a)))));
    return signedIn;
  } finally {
    await db.destroy();
  }
}

export type Draft = { version: number; demarche: Record<string, unknown> | null };

/** The drafts' versions and first-step answers: to resync the pages after a run, and to check that no save was lost. */
export async function readDrafts(databaseUrl: string, ids: string[]): Promise<Map<string, Draft>> {
  const db = createDb(databaseUrl, { timeoutMs: 10_000 });
  try {
    const rows = (await db('access_requests')
      .whereIn('id', ids)
      .select('id', 'version', db.raw(`answers->'demarche' as demarche`))) as ({ id: string } & Draft)[];
    return new Map(rows.map((r) => [String(r.id), { version: r.version, demarche: r.demarche }]));
  } finally {
    await db.destroy();
  }
}
