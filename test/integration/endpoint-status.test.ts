/**
 * « État des endpoints »: probes against a local stub that answers, is slow, fails or never answers; availability over
 * 24 hours and 30 days on chosen dates; the public /statut and its htmx fragment; a user's endpoints on the dashboard;
 * incidents posted, changed and closed by an admin (422 keeps what was typed, audited).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { endpointSeeds } from '../../src/db/seed.ts';
import { startEndpointStub, type StubBehaviour } from '../../src/dev-stubs/endpoint-stub.ts';
import { endpointTasks } from '../../src/jobs/endpoint-tasks.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { CLAMART, createAccount, createAuthorization, createRequest, COMPLETE_ANSWERS } from '../helpers/fixtures.ts';
import { bodyCells, errorSummaryTargets, PageClient } from '../helpers/page-client.ts';
import { signedInClient } from '../helpers/sign-in.ts';

let app: TestApp;
let stub: Awaited<ReturnType<typeof startEndpointStub>>;
const behaviours = new Map<string, StubBehaviour>();
const SLOW_STUB_MS = 3_000;

before(async () => {
  app = await startTestApp();
  stub = await startEndpointStub((path) => {
    const id = endpointSeeds().find((e) => e.path === path)?.id;
    return (id ? behaviours.get(id) : undefined) ?? 'up';
  }, SLOW_STUB_MS);
  await app.services.endpointStatus.seed(endpointSeeds(), stub.url);
  // Generous limits, so that a busy machine never turns a prompt answer into a slow one: slow past 1.5 s, a
  // hanging endpoint given up after 2 s, the slow one given 10 s.
  await app.db('endpoints').update({ slow_ms: 1500, timeout_ms: 10_000 });
  await app.db('endpoints').where({ id: 'msa-cotisations' }).update({ timeout_ms: 2_000 });
});
after(async () => {
  await stub.close();
  await app.stop();
});

const at = (iso: string) => new Date(iso);

describe('the probes', () => {
  it('say up, slow, down and timed out from what the stub does, and are run by the worker’s task', async () => {
    behaviours.set('bdf-bilans', 'slow');
    behaviours.set('dgfip-liasses-fiscales', 'down');
    behaviours.set('msa-cotisations', 'hang');
    const checks = await app.services.endpointStatus.probeAll(at('2026-12-01T10:00:00Z'));
    const by = Object.fromEntries(checks.map((c) => [c.endpointId, c]));
    assert.equal(by['insee-unite-legale']!.state, 'up');
    assert.equal(by['insee-unite-legale']!.httpStatus, 200);
    assert.equal(by['bdf-bilans']!.state, 'slow');
    assert.ok(by['bdf-bilans']!.durationMs >= SLOW_STUB_MS);
    assert.equal(by['dgfip-liasses-fiscales']!.state, 'down');
    assert.equal(by['dgfip-liasses-fiscales']!.httpStatus, 503);
    assert.equal(by['msa-cotisations']!.state, 'down');
    assert.equal(by['msa-cotisations']!.httpStatus, null);
    assert.match(by['msa-cotisations']!.detail!, /pas de réponse en 2000 ms/);
    // The crontab's task, on a chosen clock.
    behaviours.clear();
    await endpointTasks(app.services.endpointStatus, () => at('2026-12-01T10:01:00Z')).endpoint_probes!(
      {},
      {} as never,
    );
    const rows = await app.db('endpoint_checks').where({ endpoint_id: 'msa-cotisations' }).orderBy('checked_at');
    assert.deepEqual(
      rows.map((r: { state: string }) => r.state),
      ['down', 'up'],
    );
  });

  it('give the availability over 24 hours and 30 days, and forget probes older than 31 days', async () => {
    await app.db('endpoint_checks').delete();
    behaviours.set('dgfip-chiffres-affaires', 'down');
    await app.services.endpointStatus.probeAll(at('2026-11-20T10:00:00Z')); // 11 days before: 30 days only
    behaviours.clear();
    await app.services.endpointStatus.probeAll(at('2026-12-01T08:00:00Z'));
    behaviours.set('dgfip-chiffres-affaires', 'down');
    await app.services.endpointStatus.probeAll(at('2026-12-01T09:00:00Z'));
    behaviours.clear();
    await app.services.endpointStatus.probeAll(at('2026-12-01T10:00:00Z'));
    const { endpoints } = await app.services.endpointStatus.publicStatus(at('2026-12-01T10:00:30Z'));
    const row = endpoints.find((e) => e.id === 'dgfip-chiffres-affaires')!;
    assert.equal(row.state, 'up');
    assert.equal(row.day, '66,66\u00a0%'); // 2 of 3, never rounded up
    assert.equal(row.month, '50\u00a0%'); // 2 of 4
    assert.equal(endpoints.find((e) => e.id === 'insee-unite-legale')!.month, '100\u00a0%');
    await app.services.endpointStatus.probeAll(at('2026-12-22T10:00:00Z'));
    const old = await app.db('endpoint_checks').where('checked_at', '<', at('2026-11-21T10:00:00Z')).count('* as n');
    assert.equal(Number((old[0] as { n: string }).n), 0, 'plus de 31 jours : oubliées');
  });
});

describe('the pages', () => {
  it('/statut shows every endpoint with its state in words, and the incident in progress; htmx gets the table alone', async () => {
    await app.db('endpoint_checks').delete();
    behaviours.set('bdf-bilans', 'down');
    await app.services.endpointStatus.probeAll(new Date());
    behaviours.clear();
    const admin = await createAccount(app.db, { email: 'admin@api-entreprise.gouv.fr', roles: ['admin'] });
    assert.ok(admin);
    const client = await signedInClient(app.app, 'admin@api-entreprise.gouv.fr');
    await client.get('/admin/incidents/nouveau');
    const published = await client.submit({
      titre: 'Panne des bilans',
      message: 'La Banque de France ne répond plus.',
      endpoints: 'bdf-bilans',
    });
    assert.equal(published.status, 303);
    const visitor = new PageClient(app.app);
    const page = await visitor.get('/statut');
    assert.equal(page.status, 200);
    const rows = bodyCells(page, page.$('#etat-endpoints'));
    assert.equal(rows.length, endpointSeeds().length);
    assert.deepEqual(rows.find((r) => r[0] === 'Bilans (Banque de France)')!.slice(1, 2), ['Indisponible']);
    assert.deepEqual(rows.find((r) => r[0] === 'Unité légale (Insee)')!.slice(1, 2), ['Opérationnel']);
    assert.match(page.$('#etat-endpoints').text(), /Panne des bilans[\s\S]*Bilans \(Banque de France\)/);
    assert.equal(page.$('#etat-endpoints').attr('data-hx-trigger'), 'every 60s');
    const fragment = await visitor.get('/statut', { 'HX-Request': 'true' });
    assert.equal(fragment.$('h1').length, 0);
    assert.equal(fragment.$('#etat-endpoints table caption').text(), 'État des endpoints');
    assert.match(String(fragment.headers.vary), /HX-Request/);
  });

  it('the dashboard shows the endpoints of the user’s authorizations only', async () => {
    const user = await createAccount(app.db, { email: 'agent@clamart.fr', siret: CLAMART });
    const request = await createRequest(app.db, user.id, CLAMART);
    await app
      .db('access_requests')
      .where({ id: request })
      .update({ answers: JSON.stringify(COMPLETE_ANSWERS), title: 'Marchés' });
    await createAuthorization(app.db, request, user.id);
    const client = await signedInClient(app.app, 'agent@clamart.fr');
    const page = await client.get('/tableau-de-bord/endpoints');
    assert.equal(page.status, 200);
    const names = page
      .$('#etat-endpoints tbody th')
      .toArray()
      .map((th) => page.$(th).text().trim());
    assert.deepEqual(names, ['Attestation fiscale (DGFIP)']);
    await createAccount(app.db, { email: 'seul@exemple.fr' });
    const alone = await signedInClient(app.app, 'seul@exemple.fr');
    assert.match((await alone.get('/tableau-de-bord/endpoints')).$('main').text(), /Aucune habilitation active/);
  });
});

describe('incidents', () => {
  it('are published, changed and closed by admins (audited); a wrong form is 422 with what was typed', async () => {
    const client = await signedInClient(app.app, 'admin@api-entreprise.gouv.fr');
    await client.get('/admin/incidents/nouveau');
    const wrong = await client.submit({
      titre: '',
      message: 'Texte gardé',
      'debut-date': '31/02/2026',
      'debut-heure': '25:00',
      'fin-date': '01/01/2020',
      'fin-heure': '',
    });
    assert.equal(wrong.status, 422);
    assert.match(wrong.$('title').text(), /^Erreur\u00a0: /);
    assert.ok(errorSummaryTargets(wrong).every((t) => t.exists));
    assert.deepEqual(
      errorSummaryTargets(wrong).map((t) => t.href),
      ['#titre', '#debut-date', '#fin-heure'],
    );
    assert.equal(wrong.$('#message').text(), 'Texte gardé');
    assert.equal(wrong.$('#debut-date').attr('value'), '31/02/2026');
    const order = await client.submit({
      titre: 'Maintenance',
      message: 'Intervention programmée.',
      'debut-date': '10/12/2026',
      'debut-heure': '22:00',
      'fin-date': '10/12/2026',
      'fin-heure': '21:00',
    });
    assert.equal(order.status, 422);
    assert.match(order.$('#fin-date-messages').text(), /après son début/);
    const done = await client.submit({ 'fin-heure': '23:30' });
    assert.equal(done.status, 303);
    const incident = (await app.db('incidents').where({ title: 'Maintenance' }).first()) as {
      id: string;
      starts_at: Date;
    };
    assert.equal(incident.starts_at.toISOString(), '2026-12-10T21:00:00.000Z', 'heure de Paris');
    const edit = await client.get(`/admin/incidents/${incident.id}`);
    assert.equal(edit.$('#debut-heure').attr('value'), '22:00');
    const changed = await client.submit({ titre: 'Maintenance prolongée' });
    assert.equal(changed.status, 303);
    await client.get('/admin/incidents');
    const closed = await client.post(`/admin/incidents/${incident.id}/clore`, { _csrf: client.csrfToken() });
    assert.equal(closed.status, 303);
    const actions = (await app.db('audit_log').where({ subject_type: 'incident', subject_id: incident.id })).map(
      (r: { action: string }) => r.action,
    );
    assert.deepEqual(actions, ['incident.created', 'incident.updated', 'incident.ended']);
    assert.equal((await client.get('/admin/incidents/999999')).status, 404);
    assert.equal((await client.get('/admin/incidents/abc')).status, 404);
    const member = await signedInClient(app.app, 'agent@clamart.fr');
    assert.equal((await member.get('/admin/incidents')).status, 404);
  });
});
