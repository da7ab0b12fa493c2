import type { Db } from '../../src/db/knex.ts';
import { CLAMART, createAccount, createRequest } from './fixtures.ts';
import { postMultipart, type FormPart } from './multipart.ts';
import type { PageClient } from './page-client.ts';
import { signedInClient } from './sign-in.ts';
import type { TestApp } from './app.ts';

export { CLAMART };
export const LEGAL = {
  nature: 'deliberation',
  reference: 'Délibération du conseil municipal du 12 mars 2026',
  url: '',
};

export const pdfPart = (filename: string, content: Buffer): FormPart => ({
  name: 'pieces',
  filename,
  content,
  type: 'application/pdf',
});

/** A member of Clamart signed in, with a draft whose legal step already holds `answers`. */
export async function legalDraft(app: TestApp, email = 'agent@clamart.fr', answers: Record<string, unknown> = LEGAL) {
  const account = await createAccount(app.db, { email, siret: CLAMART });
  const client = await signedInClient(app.app, email);
  const id = await createRequest(app.db, account.id, CLAMART);
  await app
    .db('access_requests')
    .where({ id })
    .update({ answers: JSON.stringify({ 'cadre-juridique': answers }) });
  return { account, client, id };
}

/** The step's « Joindre le fichier » button, as a browser sends it: the CSRF token first, then the files. */
export async function attachFiles(client: PageClient, id: string, files: FormPart[]) {
  await client.get(`/demandes/${id}/cadre-juridique`);
  return postMultipart(client, `/demandes/${id}/pieces-jointes`, [
    { name: '_csrf', value: client.csrfToken() },
    ...files,
  ]);
}

/** A download read as bytes (the body of a PDF is not text). */
export function downloadBytes(client: PageClient, href: string) {
  return client.agent
    .get(href)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** The graphile-worker job of an attachment's scan (one per attachment, by its key), if any. */
export async function scanJob(
  db: Db,
  attachmentId: string,
): Promise<{ attempts: number; max_attempts: number; last_error: string | null } | undefined> {
  return db('graphile_worker._private_jobs')
    .where({ key: `scan:${attachmentId}` })
    .first('attempts', 'max_attempts', 'last_error');
}

/** Every job waiting for its backoff delay becomes due now (time travel for retries). */
export async function makeJobsDue(db: Db): Promise<void> {
  await db('graphile_worker._private_jobs').update({ run_at: db.fn.now() });
}
