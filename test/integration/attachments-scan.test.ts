/**
 * Antivirus scan of the PDF attachments (EICAR ends infected and is never served, clamd down leaves files pending and rescanned, the job is idempotent), with a fake clamd
 * speaking INSTREAM over TCP: `pending` after upload, never served until `safe`; `infected` files are deleted and
 * refused for good; an outage leaves files pending, retried, and scanned once clamd is back.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  attachFiles,
  downloadBytes,
  LEGAL,
  legalDraft,
  makeJobsDue,
  pdfPart,
  scanJob,
} from '../helpers/attachments.ts';
import { htmlErrors } from '../helpers/browser.ts';
import { EICAR_NAME, eicarPdf, startFakeClamd, type FakeClamd } from '../helpers/fake-clamd.ts';
import { pdf } from '../helpers/multipart.ts';
import * as migration from '../../migrations/20261128400001_attachment_scan.ts';

const uploadDir = mkdtempSync(path.join(tmpdir(), 'signup-analyse-'));
let app: TestApp;
let clamd: FakeClamd;
before(async () => {
  clamd = await startFakeClamd();
  app = await startTestApp({ UPLOAD_DIR: uploadDir, CLAMD_URL: clamd.url });
});
after(async () => {
  await app.stop();
  await clamd.stop();
  rmSync(uploadDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await app.reset();
  clamd.clear();
  clamd.mode = 'scan';
});

const STEP_FORM = 'form[action^="/demandes/"]';
const rows = (id: string) => app.db('attachments').where({ request_id: id }).orderBy('id');
const onDisk = (key: string) => existsSync(path.join(uploadDir, key));

/** A draft with one file attached, and that file's row. */
async function withFile(name: string, content: Buffer) {
  const draft = await legalDraft(app);
  assert.equal((await attachFiles(draft.client, draft.id, [pdfPart(name, content)])).status, 303);
  const [row] = await rows(draft.id);
  return { ...draft, row, href: `/demandes/${draft.id}/pieces-jointes/${row.id}` };
}

describe('a clean PDF', () => {
  it('is pending after the upload (job queued with the row), not served, then safe and downloadable once scanned', async () => {
    const content = pdf(150 * 1024, 'propre');
    const { client, id, row, href } = await withFile('Délibération.pdf', content);
    assert.equal(row.scan_status, 'pending');
    assert.equal(row.scanned_at, null);
    assert.ok(await scanJob(app.db, row.id), 'tâche d’analyse en file, dans la même transaction que la ligne');

    const step = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(step.$(`#piece-${row.id} a`).length, 0, 'pas de lien tant que l’analyse n’est pas faite');
    assert.equal(step.$(`#piece-${row.id} .fr-badge`).text(), 'Analyse en cours');
    assert.deepEqual(await htmlErrors(step.html, 'étape avec fichier en analyse'), []);
    const waiting = await client.get(href);
    assert.equal(waiting.status, 409);
    assert.equal(waiting.headers['retry-after'], '10');
    assert.equal(waiting.$('h1').text(), 'Analyse antivirus en cours');
    assert.match(waiting.$('main').text(), /Analyse antivirus en cours, réessayez dans quelques instants/);
    assert.deepEqual(await htmlErrors(waiting.html, 'page 409 analyse en cours'), []);

    await app.runJobs();
    const [scanned] = await rows(id);
    assert.equal(scanned.scan_status, 'safe');
    assert.ok(scanned.scanned_at instanceof Date);
    assert.deepEqual(
      clamd.streams.map((s) => s.data),
      [content],
      'clamd a reçu le fichier exact',
    );
    const res = await downloadBytes(client, href);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, content);
    const after_ = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(after_.$(`#piece-${row.id} a`).attr('href'), href);
    assert.equal(after_.$(`#piece-${row.id} .fr-badge`).text(), 'Vérifié');
    const summary = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(summary.$(`#recapitulatif-piece-${row.id} .fr-badge`).text(), 'Vérifié');
  });

  it('counts for « URL and/or PDF » while pending: a file being scanned is most likely the text', async () => {
    const { client, id } = await withFile('texte.pdf', pdf());
    await client.get(`/demandes/${id}/cadre-juridique`);
    const next = await client.submit({ ...LEGAL, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(next.status, 303);
  });
});

describe('a PDF carrying EICAR', () => {
  it('ends infected: file deleted, row kept with the virus name, never downloadable, shown as refused', async () => {
    const { client, id, row, href } = await withFile('piege.pdf', eicarPdf());
    assert.equal(row.scan_status, 'pending');
    assert.ok(onDisk(row.storage_key));
    await app.runJobs();
    const [infected] = await rows(id);
    assert.equal(infected.scan_status, 'infected');
    assert.equal(infected.scan_detail, EICAR_NAME);
    assert.ok(!onDisk(row.storage_key), 'le fichier infecté est effacé du disque');

    const refused = await client.get(href);
    assert.equal(refused.status, 410);
    assert.equal(refused.$('h1').text(), 'Fichier refusé');
    assert.match(refused.$('main').text(), new RegExp(`Fichier refusé : un virus a été détecté \\(${EICAR_NAME}\\)`));
    assert.deepEqual(await htmlErrors(refused.html, 'page 410 fichier refusé'), []);

    const step = await client.get(`/demandes/${id}/cadre-juridique`);
    assert.equal(step.$(`#piece-${row.id} a`).length, 0);
    assert.equal(step.$(`#piece-${row.id} .fr-badge`).text(), 'Refusé : virus détecté');
    assert.match(step.$(`#piece-${row.id}-refus`).text(), new RegExp(`un virus a été détecté \\(${EICAR_NAME}\\)`));
    assert.doesNotMatch(step.$('label[for="url"]').text(), /facultatif/, 'l’adresse redevient obligatoire');
    assert.deepEqual(await htmlErrors(step.html, 'étape avec fichier refusé'), []);
    const summary = await client.get(`/demandes/${id}/recapitulatif`);
    assert.equal(summary.$(`#recapitulatif-piece-${row.id} a`).length, 0);
    assert.match(summary.$(`#recapitulatif-piece-${row.id}`).text(), /Refusé : virus détecté/);
    assert.match(
      summary.$('#etape-cadre-juridique h2').text(),
      /À compléter/,
      'un fichier infecté ne vaut pas le texte',
    );
    assert.deepEqual(await htmlErrors(summary.html, 'récapitulatif avec fichier refusé'), []);
  });

  it('does not count for the legal rule; removing it keeps the virus in the request’s events', async () => {
    const { client, id, row } = await withFile('piege.pdf', eicarPdf());
    await app.runJobs();
    await client.get(`/demandes/${id}/cadre-juridique`);
    const blocked = await client.submit({ ...LEGAL, action: 'continuer' }, { selector: STEP_FORM });
    assert.equal(blocked.status, 422);
    assert.match(blocked.$('#url-erreur').text(), /ou joignez le texte en PDF/);

    const removed = await client.post(
      `/demandes/${id}/pieces-jointes/${row.id}/supprimer`,
      client.formFields(STEP_FORM).fields,
    );
    assert.equal(removed.status, 303);
    const event = await app.db('request_events').where({ request_id: id, kind: 'attachment_deleted' }).first();
    assert.equal(event.details.virus, EICAR_NAME);
    assert.equal(event.details.scan, 'infected');
  });
});

describe('clamd down', () => {
  it('keeps the file pending and unserved, retries the job, and scans it once clamd is back: 0 files left pending', async () => {
    await clamd.stop();
    try {
      const { client, id, row, href } = await withFile('pendant-la-panne.pdf', pdf());
      await app.runJobs();
      assert.equal((await rows(id))[0].scan_status, 'pending');
      const job = await scanJob(app.db, row.id);
      assert.equal(job?.attempts, 1);
      assert.match(job?.last_error ?? '', /clamd injoignable/);
      assert.equal((await client.get(href)).status, 409, 'jamais servi pendant la panne');
      await makeJobsDue(app.db);
      await app.runJobs();
      assert.equal((await scanJob(app.db, row.id))?.attempts, 2, 'la tâche est réessayée');
      assert.equal((await rows(id))[0].scan_status, 'pending');
    } finally {
      await clamd.start();
    }
    await makeJobsDue(app.db);
    await app.runJobs();
    assert.equal(
      await app
        .db('attachments')
        .where({ scan_status: 'pending' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      0,
    );
    assert.equal((await app.db('attachments').first()).scan_status, 'safe');
  });

  it('the sweep queues again a file whose job gave up, so that it does not stay pending after the outage', async () => {
    await clamd.stop();
    let row: { id: string };
    try {
      ({ row } = await withFile('oublie.pdf', pdf()));
      await app.runJobs();
    } finally {
      await clamd.start();
    }
    // Its retries exhausted, and uploaded an hour ago.
    await app
      .db('graphile_worker._private_jobs')
      .where({ key: `scan:${row.id}` })
      .update({ attempts: app.db.ref('max_attempts') });
    await app
      .db('attachments')
      .where({ id: row.id })
      .update({ created_at: app.db.raw("now() - interval '1 hour'") });
    await makeJobsDue(app.db);
    await app.runJobs();
    assert.equal(
      (await app.db('attachments').where({ id: row.id }).first()).scan_status,
      'pending',
      'la tâche abandonnée ne repart pas seule',
    );
    await app.db.raw('SELECT graphile_worker.add_job(?)', ['rescan_pending_attachments']);
    await app.runJobs();
    assert.equal((await app.db('attachments').where({ id: row.id }).first()).scan_status, 'safe');
  });
});

describe('the scan job is idempotent', () => {
  it('scans a file once, however many times its job runs', async () => {
    const { row } = await withFile('une-fois.pdf', pdf());
    await app.runJobs();
    assert.equal(clamd.connections, 1);
    for (let i = 0; i < 2; i++) {
      await app.db.raw('SELECT graphile_worker.add_job(?, json_build_object(?::text, ?::text), job_key => ?)', [
        'scan_attachment',
        'attachmentId',
        row.id,
        `scan:${row.id}`,
      ]);
      await app.runJobs();
    }
    assert.equal(clamd.connections, 1, 'une seule connexion à clamd');
    assert.equal((await app.db('attachments').where({ id: row.id }).first()).scan_status, 'safe');
  });

  it('removes an infected file left on disk by a worker killed between the two steps', async () => {
    const { row } = await withFile('reste.pdf', eicarPdf());
    await app.db('attachments').where({ id: row.id }).update({ scan_status: 'infected', scan_detail: EICAR_NAME });
    assert.ok(onDisk(row.storage_key));
    await app.runJobs();
    assert.ok(!onDisk(row.storage_key));
    assert.equal(clamd.connections, 0, 'déjà analysé : pas de nouvelle analyse');
  });
});

describe('the migration', () => {
  it('marks the files kept before it « unscanned » (never scanned), while new rows start « pending »', async () => {
    const { row } = await withFile('ancien.pdf', pdf());
    await migration.down(app.db);
    await migration.up(app.db);
    assert.equal((await app.db('attachments').where({ id: row.id }).first()).scan_status, 'unscanned');
    const column = await app
      .db('information_schema.columns')
      .where({ table_name: 'attachments', column_name: 'scan_status' })
      .first('column_default');
    assert.match(column.column_default, /^'pending'/);
    await assert.rejects(
      app.db('attachments').where({ id: row.id }).update({ scan_status: 'clean' }),
      /attachments_scan_status/,
    );
  });
});
