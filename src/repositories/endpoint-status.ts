import type { Knex } from 'knex';
import type { ProbeState } from '../domain/endpoint-status.ts';

export type Endpoint = {
  id: string;
  label: string;
  url: string;
  timeoutMs: number;
  expectedStatus: number;
  slowMs: number;
};

export type EndpointSeed = { id: string; label: string; url: string; scopes: string[] };

/**
 * Writes the endpoints of the reference data: label, address, order and scopes follow the file; time limits, expected
 * status and activity set by an operator in the table are kept.
 */
export async function upsertEndpoints(db: Knex, endpoints: EndpointSeed[]): Promise<void> {
  if (!endpoints.length) return;
  await db('endpoints')
    .insert(endpoints.map((e, position) => ({ id: e.id, label: e.label, url: e.url, position })))
    .onConflict('id')
    .merge(['label', 'url', 'position']);
  const known = new Set(((await db('scopes').select('id')) as { id: string }[]).map((s) => s.id));
  await db('endpoint_scopes')
    .whereIn(
      'endpoint_id',
      endpoints.map((e) => e.id),
    )
    .delete();
  const links = endpoints.flatMap((e) =>
    e.scopes.filter((s) => known.has(s)).map((scope) => ({ endpoint_id: e.id, scope_id: scope })),
  );
  if (links.length) await db('endpoint_scopes').insert(links);
}

export async function activeEndpoints(db: Knex): Promise<Endpoint[]> {
  return (await db('endpoints')
    .where({ active: true })
    .orderBy('position')
    .select(
      'id',
      'label',
      'url',
      'timeout_ms as timeoutMs',
      'expected_status as expectedStatus',
      'slow_ms as slowMs',
    )) as Endpoint[];
}

export type Check = {
  endpointId: string;
  checkedAt: Date;
  state: ProbeState;
  httpStatus: number | null;
  durationMs: number;
  detail: string | null;
};

export async function recordChecks(db: Knex, checks: Check[]): Promise<void> {
  if (!checks.length) return;
  await db('endpoint_checks').insert(
    checks.map((c) => ({
      endpoint_id: c.endpointId,
      checked_at: c.checkedAt,
      state: c.state,
      http_status: c.httpStatus,
      duration_ms: c.durationMs,
      detail: c.detail,
    })),
  );
}

export async function pruneChecks(db: Knex, before: Date): Promise<number> {
  return db('endpoint_checks').where('checked_at', '<', before).delete();
}

export type BoardRow = {
  id: string;
  label: string;
  state: ProbeState | null;
  checkedAt: Date | null;
  durationMs: number | null;
  dayAnswered: number;
  dayTotal: number;
  monthAnswered: number;
  monthTotal: number;
};

/** Each active endpoint with its last probe and its probes over 24 hours and 30 days before `now`. */
export async function endpointBoard(db: Knex, now: Date): Promise<BoardRow[]> {
  const rows = (
    await db.raw(
      `SELECT e.id, e.label, l.state, l.checked_at AS "checkedAt", l.duration_ms AS "durationMs",
              count(c.id) FILTER (WHERE c.checked_at > :now::timestamptz - interval '24 hours' AND c.state <> 'down')
                AS "dayAnswered",
              count(c.id) FILTER (WHERE c.checked_at > :now::timestamptz - interval '24 hours') AS "dayTotal",
              count(c.id) FILTER (WHERE c.state <> 'down') AS "monthAnswered",
              count(c.id) AS "monthTotal"
         FROM endpoints e
         LEFT JOIN LATERAL (SELECT state, checked_at, duration_ms FROM endpoint_checks
                             WHERE endpoint_id = e.id AND checked_at <= :now ORDER BY checked_at DESC LIMIT 1) l ON true
         LEFT JOIN endpoint_checks c
           ON c.endpoint_id = e.id AND c.checked_at > :now::timestamptz - interval '30 days' AND c.checked_at <= :now
        WHERE e.active
        GROUP BY e.id, l.state, l.checked_at, l.duration_ms
        ORDER BY e.position`,
      { now },
    )
  ).rows as (Omit<BoardRow, 'dayAnswered' | 'dayTotal' | 'monthAnswered' | 'monthTotal'> &
    Record<'dayAnswered' | 'dayTotal' | 'monthAnswered' | 'monthTotal', string>)[];
  return rows.map((r) => ({
    ...r,
    dayAnswered: Number(r.dayAnswered),
    dayTotal: Number(r.dayTotal),
    monthAnswered: Number(r.monthAnswered),
    monthTotal: Number(r.monthTotal),
  }));
}

/** The endpoints that serve any of these scopes. */
export async function endpointsOfScopes(db: Knex, scopes: string[]): Promise<string[]> {
  if (!scopes.length) return [];
  return (await db('endpoint_scopes').whereIn('scope_id', scopes).distinct('endpoint_id')).map(
    (r: { endpoint_id: string }) => r.endpoint_id,
  );
}

export type Incident = {
  id: string;
  title: string;
  message: string;
  startsAt: Date;
  endsAt: Date | null;
  endpointIds: string[];
  endpointLabels: string[];
};

const INCIDENT_COLUMNS = ['i.id', 'i.title', 'i.message', 'i.starts_at as startsAt', 'i.ends_at as endsAt'];

function incidents(db: Knex) {
  return db('incidents as i')
    .select(INCIDENT_COLUMNS)
    .select(
      db.raw(`coalesce(array_agg(e.id ORDER BY e.position) FILTER (WHERE e.id IS NOT NULL), '{}') AS "endpointIds"`),
      db.raw(
        `coalesce(array_agg(e.label ORDER BY e.position) FILTER (WHERE e.id IS NOT NULL), '{}') AS "endpointLabels"`,
      ),
    )
    .leftJoin('incident_endpoints as ie', 'ie.incident_id', 'i.id')
    .leftJoin('endpoints as e', 'e.id', 'ie.endpoint_id')
    .groupBy('i.id');
}

/** Incidents not ended before `since` (current, coming, and recently ended ones), the latest first. */
export async function incidentsSince(db: Knex, since: Date): Promise<Incident[]> {
  return (await incidents(db)
    .where((q) => q.whereNull('i.ends_at').orWhere('i.ends_at', '>', since))
    .orderBy('i.starts_at', 'desc')) as Incident[];
}

export async function allIncidents(db: Knex, limit = 100): Promise<Incident[]> {
  return (await incidents(db).orderBy('i.starts_at', 'desc').limit(limit)) as Incident[];
}

export async function findIncident(db: Knex, id: string): Promise<Incident | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await incidents(db).where('i.id', id).first()) as Incident | undefined;
}

export type IncidentInput = {
  title: string;
  message: string;
  startsAt: Date;
  endsAt: Date | null;
  endpointIds: string[];
};

export async function saveIncident(db: Knex, input: IncidentInput, userId: string, id?: string): Promise<string> {
  const row = {
    title: input.title,
    message: input.message,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    updated_at: db.fn.now(),
  };
  const saved = id
    ? ((await db('incidents').where({ id }).update(row).returning('id')) as { id: string }[])
    : ((await db('incidents')
        .insert({ ...row, created_by: userId })
        .returning('id')) as { id: string }[]);
  const incidentId = saved[0]!.id;
  await db('incident_endpoints').where({ incident_id: incidentId }).delete();
  if (input.endpointIds.length)
    await db('incident_endpoints').insert(input.endpointIds.map((e) => ({ incident_id: incidentId, endpoint_id: e })));
  return incidentId;
}

export async function endIncident(db: Knex, id: string, at: Date): Promise<void> {
  await db('incidents').where({ id }).whereNull('ends_at').update({ ends_at: at, updated_at: db.fn.now() });
}
