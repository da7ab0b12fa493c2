import type { Knex } from 'knex';
import {
  availability,
  availabilityText,
  CHECK_RETENTION_DAYS,
  probeState,
  type EndpointState,
  type ProbeResult,
} from '../domain/endpoint-status.ts';
import { checkIncident, incidentForm, type IncidentForm } from '../forms/incidents.ts';
import type { FieldError } from '../forms/validation.ts';
import { recordAudit } from '../repositories/audit.ts';
import { authorizationsOfUser } from '../repositories/authorizations.ts';
import {
  activeEndpoints,
  allIncidents,
  endIncident,
  endpointBoard,
  endpointsOfScopes,
  findIncident,
  incidentsSince,
  pruneChecks,
  recordChecks,
  saveIncident,
  upsertEndpoints,
  type Check,
  type Endpoint,
  type EndpointSeed,
} from '../repositories/endpoint-status.ts';
import type { User } from '../repositories/users.ts';

/** The public page is read by many: the board is computed at most this often (probes come every minute). */
const BOARD_CACHE_MS = 30_000;
/** Incidents ended less than this long ago are still shown. */
const RECENT_INCIDENT_DAYS = 7;

export type BoardEntry = {
  id: string;
  label: string;
  state: EndpointState;
  checkedAt: Date | null;
  durationMs: number | null;
  day: string;
  month: string;
};

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

/** One probe: the time to the answer's status line, or why there was none. */
export async function probe(endpoint: Endpoint, fetcher: Fetcher, headers: Record<string, string>) {
  const started = performance.now();
  let result: ProbeResult;
  try {
    const response = await fetcher(endpoint.url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
    result = { kind: 'answered', status: response.status, durationMs: Math.round(performance.now() - started) };
    await response.body?.cancel().catch(() => undefined);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    result = {
      kind: 'failed',
      durationMs: Math.round(performance.now() - started),
      detail: timedOut ? `pas de réponse en ${endpoint.timeoutMs} ms` : 'connexion impossible',
    };
  }
  return result;
}

/**
 * « État des endpoints »: probes of the configured endpoints (a worker job, every minute), the board people read on
 * `/statut` and their dashboard, and the incidents admins post.
 */
export function endpointStatusService(db: Knex, options: { fetcher?: Fetcher; probeToken?: string } = {}) {
  const fetcher = options.fetcher ?? ((url, init) => fetch(url, init));
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'SignUp (état des endpoints)',
    ...(options.probeToken ? { authorization: `Bearer ${options.probeToken}` } : {}),
  };
  let cached: { at: number; board: BoardEntry[] } | undefined;

  async function board(now: Date): Promise<BoardEntry[]> {
    if (cached && Math.abs(now.getTime() - cached.at) < BOARD_CACHE_MS) return cached.board;
    const rows = await endpointBoard(db, now);
    const entries = rows.map((r) => ({
      id: r.id,
      label: r.label,
      state: (r.state ?? 'unknown') as EndpointState,
      checkedAt: r.checkedAt,
      durationMs: r.durationMs,
      day: availabilityText(availability(r.dayAnswered, r.dayTotal)),
      month: availabilityText(availability(r.monthAnswered, r.monthTotal)),
    }));
    cached = { at: now.getTime(), board: entries };
    return entries;
  }

  async function incidentsAround(now: Date) {
    const list = await incidentsSince(db, new Date(now.getTime() - RECENT_INCIDENT_DAYS * 86_400_000));
    return {
      current: list.filter((i) => i.startsAt <= now && (!i.endsAt || i.endsAt > now)),
      coming: list.filter((i) => i.startsAt > now),
      past: list.filter((i) => i.endsAt && i.endsAt <= now),
    };
  }

  return {
    /** The reference data's endpoints at `baseUrl` (idempotent; thresholds set in the table are kept). */
    async seed(endpoints: { id: string; label: string; path: string; scopes: string[] }[], baseUrl: string) {
      const seeds: EndpointSeed[] = endpoints.map((e) => ({ ...e, url: new URL(e.path, baseUrl).toString() }));
      await upsertEndpoints(db, seeds);
      cached = undefined;
    },

    /** Probes every active endpoint at once, records the results, forgets probes past the retention. */
    async probeAll(now = new Date()): Promise<Check[]> {
      const endpoints = await activeEndpoints(db);
      const checks = await Promise.all(
        endpoints.map(async (endpoint): Promise<Check> => {
          const result = await probe(endpoint, fetcher, headers);
          return {
            endpointId: endpoint.id,
            checkedAt: now,
            state: probeState(result, endpoint),
            httpStatus: result.kind === 'answered' ? result.status : null,
            durationMs: result.durationMs,
            detail: result.kind === 'failed' ? result.detail : null,
          };
        }),
      );
      await recordChecks(db, checks);
      await pruneChecks(db, new Date(now.getTime() - CHECK_RETENTION_DAYS * 86_400_000));
      cached = undefined;
      return checks;
    },

    /** Every endpoint, and the incidents current, coming and ended this week: the public `/statut`. */
    async publicStatus(now = new Date()) {
      return { endpoints: await board(now), incidents: await incidentsAround(now), now };
    },

    /** The endpoints of the scopes the user's active authorizations hold, and the incidents that touch them. */
    async statusFor(user: User, now = new Date()) {
      const scopes = (await authorizationsOfUser(db, user.id))
        .filter((a) => a.status === 'active')
        .flatMap((a) => a.scopes);
      const mine = new Set(await endpointsOfScopes(db, [...new Set(scopes)]));
      const touches = (i: { endpointIds: string[] }) => !i.endpointIds.length || i.endpointIds.some((e) => mine.has(e));
      const incidents = await incidentsAround(now);
      return {
        endpoints: (await board(now)).filter((e) => mine.has(e.id)),
        incidents: {
          current: incidents.current.filter(touches),
          coming: incidents.coming.filter(touches),
          past: incidents.past.filter(touches),
        },
        now,
        hasAuthorization: scopes.length > 0,
      };
    },

    /** The endpoints an incident may name. */
    endpoints: () => activeEndpoints(db),
    incidents: () => allIncidents(db),
    findIncident: (id: string) => findIncident(db, id),

    /** Creates or changes an incident (audited); the problems with the form otherwise, and what was typed. */
    async saveIncident(
      user: User,
      body: Record<string, unknown>,
      id?: string,
    ): Promise<{ kind: 'saved'; id: string } | { kind: 'invalid'; form: IncidentForm; problems: FieldError[] }> {
      const form = incidentForm(body);
      const known = new Set((await activeEndpoints(db)).map((e) => e.id));
      const checked = checkIncident(form, known);
      if (!checked.input) return { kind: 'invalid', form, problems: checked.problems };
      const input = checked.input;
      const saved = await db.transaction(async (trx) => {
        const incidentId = await saveIncident(trx, input, user.id, id);
        await recordAudit(trx, {
          actorId: user.id,
          action: id ? 'incident.updated' : 'incident.created',
          subjectType: 'incident',
          subjectId: incidentId,
          details: { title: input.title, endpoints: input.endpointIds },
        });
        return incidentId;
      });
      return { kind: 'saved', id: saved };
    },

    /** Ends an incident now (audited); nothing when it had ended. */
    async endIncident(user: User, id: string, now = new Date()): Promise<boolean> {
      const incident = await findIncident(db, id);
      if (!incident) return false;
      await db.transaction(async (trx) => {
        await endIncident(trx, id, now);
        await recordAudit(trx, { actorId: user.id, action: 'incident.ended', subjectType: 'incident', subjectId: id });
      });
      return true;
    },
  };
}

export type EndpointStatusService = ReturnType<typeof endpointStatusService>;
