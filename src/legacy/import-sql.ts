/**
 * The import's statements. A batch arrives as one JSON parameter (jsonb_to_recordset): one round trip, one plan,
 * whatever the batch's size. A dossier already imported is rewritten only when its content changed and the export
 * is not older than the one imported (an older file re-imported never undoes a newer one; an export that does not
 * say when the dossier last changed never replaces one that does).
 */
export const UPSERT_BATCH = `
  INSERT INTO legacy_dossiers AS d (number, ds_state, status, email, siret, deposited_at, instruction_started_at,
    processed_at, last_modified_at, motivation, fields, original, source, content_hash, search_text)
  SELECT x.number, x.ds_state, x.status, x.email, x.siret, x.deposited_at, x.instruction_started_at, x.processed_at,
    x.last_modified_at, x.motivation, x.fields, x.original, x.source, x.content_hash, directory_normalise(x.search_text)
  FROM jsonb_to_recordset($1::jsonb) AS x(number bigint, ds_state text, status text, email text, siret text,
    deposited_at timestamptz, instruction_started_at timestamptz, processed_at timestamptz,
    last_modified_at timestamptz, motivation text, fields jsonb, original jsonb, source text, content_hash text,
    search_text text)
  ON CONFLICT (number) DO UPDATE SET
    ds_state = excluded.ds_state, status = excluded.status, email = excluded.email, siret = excluded.siret,
    deposited_at = excluded.deposited_at, instruction_started_at = excluded.instruction_started_at,
    processed_at = excluded.processed_at, last_modified_at = excluded.last_modified_at,
    motivation = excluded.motivation, fields = excluded.fields, original = excluded.original,
    source = excluded.source, content_hash = excluded.content_hash, search_text = excluded.search_text,
    updated_at = now()
  WHERE d.content_hash <> excluded.content_hash
    AND (d.last_modified_at IS NULL OR excluded.last_modified_at >= d.last_modified_at)
  RETURNING (xmax = 0) AS inserted`;

/** The unfinished run of the same file (same content), to resume after what it committed. */
export const FIND_UNFINISHED_RUN = `
  SELECT id, records_done AS "recordsDone" FROM legacy_import_runs
  WHERE file_sha256 = $1 AND status = 'running' ORDER BY id DESC LIMIT 1`;

export const START_RUN = `
  INSERT INTO legacy_import_runs (file_name, file_sha256) VALUES ($1, $2) RETURNING id, records_done AS "recordsDone"`;

/** In the batch's transaction: what is committed and the checkpoint never disagree. */
export const ADVANCE_RUN = `
  UPDATE legacy_import_runs SET records_done = $2, added = added + $3, updated = updated + $4,
    unchanged = unchanged + $5, rejected = rejected + $6
  WHERE id = $1`;

export const FINISH_RUN = `UPDATE legacy_import_runs SET status = 'finished', finished_at = now() WHERE id = $1`;
