import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { REQUEST_STATUSES, statesAllowing, type RequestStatus } from '../../src/domain/request-states.ts';
import { findRequestForMember, type AccessRequest } from '../../src/repositories/requests.ts';
import { findUserById, type User } from '../../src/repositories/users.ts';
import type { Mailer } from '../../src/services/emails.ts';
import { requestTransitions } from '../../src/services/request-transitions.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createRequest } from '../helpers/fixtures.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());
beforeEach(() => app.reset());

/** A mailer that notes what it would queue (an outbox row in the same transaction), or fails as a broken template would. */
function recordingMailer(fail = false): { mail: Mailer; sent: string[] } {
  const sent: string[] = [];
  const mail: Mailer = async (trx, template, to) => {
    if (fail) throw new Error('modèle de courriel introuvable');
    await trx('emails').insert({ to_address: to, template, subject: template, text_body: '…' });
    sent.push(`${to}:${template}`);
    return String(sent.length);
  };
  return { mail, sent };
}

async function draft(status: RequestStatus = 'draft'): Promise<{ user: User; request: AccessRequest }> {
  const account = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
  const id = await createRequest(app.db, account.id, CLAMART);
  await app.db('access_requests').where({ id }).update({ status });
  return {
    user: (await findUserById(app.db, account.id))!,
    request: (await findRequestForMember(app.db, id, account.id))!,
  };
}

const row = (id: string) =>
  app.db('access_requests').where({ id }).first() as Promise<{
    status: string;
    version: number;
    submitted_at: Date | null;
  }>;
const events = (id: string) =>
  app.db('request_events').where({ request_id: id }).orderBy('id') as Promise<
    { kind: string; version: number; details: Record<string, unknown> }[]
  >;

describe('the transition use case', () => {
  it('moves the request as the state table says: status, version, timestamp, event row with details, emails, in one transaction', async () => {
    await createAccount(app.db, { email: 'instructrice@signup.localhost', roles: ['instructor'] });
    const { user, request } = await draft();
    const { mail, sent } = recordingMailer();
    const outcome = await app.db.transaction((trx) =>
      requestTransitions(mail)(trx, request, 'submit', { user, as: 'applicant' }, { data: { certifiedBy: user.id } }),
    );
    assert.deepEqual(outcome, { kind: 'done', from: 'draft', status: 'submitted', version: 2 });
    const stored = await row(request.id);
    assert.deepEqual([stored.status, stored.version, stored.submitted_at instanceof Date], ['submitted', 2, true]);
    assert.deepEqual(
      (await events(request.id)).map((e) => [e.kind, e.version, e.details]),
      // the answers as submitted, kept for instruction's « what changed » (an empty draft here)
      [['submitted', 2, { certifiedBy: user.id, from: 'draft', answers: {} }]],
    );
    assert.deepEqual(sent.sort(), [
      'agent@clamart.fr:demande-soumise',
      'instructrice@signup.localhost:nouvelle-demande',
    ]);
  });

  it('writes nothing when an email cannot be queued: the change and its emails stand or fall together', async () => {
    const { user, request } = await draft();
    await assert.rejects(
      app.db.transaction((trx) =>
        requestTransitions(recordingMailer(true).mail)(trx, request, 'submit', { user, as: 'applicant' }),
      ),
    );
    assert.equal((await row(request.id)).status, 'draft');
    assert.deepEqual(await events(request.id), []);
    assert.equal((await app.db('emails')).length, 0);
  });

  it('is idempotent: a replayed event finds the request where it leads and writes nothing; concurrent ones apply once', async () => {
    const { user, request } = await draft();
    const transition = requestTransitions(recordingMailer().mail);
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => app.db.transaction((trx) => transition(trx, request, 'archive', { user, as: 'applicant' }))),
    );
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['already', 'already', 'done']);
    assert.equal((await events(request.id)).length, 1);
    assert.equal((await row(request.id)).version, 2);
  });

  it('refuses what the table does not allow, from that state or to that actor, and a request changed since it was read', async () => {
    const transition = requestTransitions(recordingMailer().mail);
    const { user, request } = await draft('submitted');
    const run = (event: 'archive' | 'validate' | 'submit', as: 'applicant' | 'instructor', expectedVersion?: number) =>
      app.db.transaction((trx) => transition(trx, request, event, { user, as }, { expectedVersion }));
    assert.deepEqual(await run('archive', 'applicant'), { kind: 'refused', status: 'submitted' });
    assert.deepEqual(
      await run('validate', 'applicant'),
      { kind: 'refused', status: 'submitted' },
      'un demandeur ne valide pas',
    );
    assert.deepEqual(await run('validate', 'instructor', 7), { kind: 'stale', status: 'submitted', version: 1 });
    assert.deepEqual(await events(request.id), []);
    assert.equal((await run('validate', 'instructor', 1)).kind, 'done');
  });

  it('shares its states with the database: the CHECK constraint allows exactly the table’s states', async () => {
    const { rows } = (await app.db.raw(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'access_requests_status'",
    )) as { rows: { def: string }[] };
    const allowed = [...rows[0]!.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
    assert.deepEqual(allowed, [...REQUEST_STATUSES].sort());
    assert.deepEqual(statesAllowing('submit'), ['draft', 'changes_requested']);
  });
});
