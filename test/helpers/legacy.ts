import path from 'node:path';
import type { Db } from '../../src/db/knex.ts';
import { importLegacyDossiers } from '../../src/legacy/import.ts';

export const LEGACY_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/demarches-simplifiees');

/**
 * The sample exports imported through `legacy:import` itself: dossiers n° 2041 to 2046 (the API's JSON) and 1101 to
 * 1104 (the spreadsheet). Of the Clamart fixture (SIRET 21920023500014): 2041, 2044, 1101 and 1103; carrying
 * agent@clamart.fr: 2043 (no SIRET) and 1103. `linkTo`: n° 2041 linked to that authorization, as an instructor would.
 */
export async function importLegacyFixtures(url: string, db: Db, linkTo?: { authorizationId: string; by: string }) {
  await importLegacyDossiers({
    connectionString: url,
    paths: [path.join(LEGACY_FIXTURES, 'api-pages.json'), path.join(LEGACY_FIXTURES, 'dossiers.csv')],
  });
  if (linkTo)
    await db('legacy_dossiers')
      .where({ number: 2041 })
      .update({ authorization_id: linkTo.authorizationId, linked_by: linkTo.by, linked_at: db.fn.now() });
}
