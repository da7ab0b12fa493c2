/**
 * The load of the autosave bench: autocannon with one connection per applicant, each on its own draft with its own
 * session. An autosave is what htmx sends: the step form's fields, `action=autosave`, `HX-Request: true`. The version
 * (and base) each answer gives out of band is sent with the next save, as the page would; a connection that changes
 * its text every time makes every save a real write.
 * autocannon runs in this process's main thread (per-connection functions cannot go to a worker): the baseline runs
 * in a process of its own, so the load generator shares no event loop with any server.
 */
import autocannon, { type Client, type Request, type Result } from 'autocannon';
import { REQUEST_HEADERS } from './measure.ts';
import type { Applicant } from './autosave-setup.ts';

export type Run = { name: string; result: Result; saves?: SaveTally };

/** Per connection: what the page knows (version, base) and what the server answered. */
export type Slot = {
  applicant: Applicant;
  version: string;
  base?: string;
  sent: number;
  accepted: number;
  lastAcceptedTitle?: string;
  pendingTitle?: string;
  /** Saves the server made whose answer autocannon never read (sent just before it stopped): found by `settle`. */
  unread: number;
};

export type SaveTally = { accepted: number; statuses: Record<string, number>; unparsed: number };

const HTMX_HEADERS = {
  accept: '*/*',
  'accept-encoding': REQUEST_HEADERS['accept-encoding']!,
  'content-type': 'application/x-www-form-urlencoded',
  'hx-request': 'true',
};

/** `&quot;` and friends, as Nunjucks escapes attribute values. */
function unescapeHtml(value: string): string {
  return value.replace(
    /&(quot|#39|lt|gt|amp);/g,
    (_m, entity: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[entity] ?? '',
  );
}

/** The out-of-band `<input id="…" value="…">` of an autosave answer. */
function oobValue(body: string, id: string): string | undefined {
  const match = new RegExp(`<input[^>]*\\bid="${id}"[^>]*\\bvalue="([^"]*)"`).exec(body);
  return match ? unescapeHtml(match[1]!) : undefined;
}

export function newSlots(applicants: Applicant[]): Slot[] {
  return applicants.map((applicant) => ({
    applicant,
    version: applicant.hidden.version!,
    base: applicant.hidden.base,
    sent: 0,
    accepted: 0,
    unread: 0,
  }));
}

/** One connection's autosave: the step's four fields, the title changed on every save unless `unchanged`. */
function autosaveRequest(slot: Slot, tally: SaveTally, unchanged: boolean): Request {
  return {
    method: 'POST',
    path: slot.applicant.stepPath,
    headers: { ...HTMX_HEADERS, cookie: slot.applicant.cookie },
    setupRequest: (request) => {
      slot.sent += 1;
      slot.pendingTitle = unchanged
        ? 'Démarche sans changement'
        : `Démarche ${slot.applicant.requestId}, frappe ${slot.sent}`;
      const fields = {
        ...slot.applicant.hidden,
        version: slot.version,
        ...(slot.base !== undefined ? { base: slot.base } : {}),
        action: 'autosave',
        title: slot.pendingTitle,
        description: 'Vérification des pièces des candidats aux marchés publics.',
        goLiveDate: '2027-03-01',
        volume: 'moyen',
      };
      return { ...request, body: new URLSearchParams(fields).toString() };
    },
    onResponse: (status, body, _context, headers) => {
      tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
      if (status !== 200) return;
      const version = headers['content-encoding'] ? undefined : oobValue(body, 'version');
      if (version === undefined) {
        tally.unparsed += 1;
        return;
      }
      slot.version = version;
      slot.base = oobValue(body, 'base') ?? slot.base;
      slot.accepted += 1;
      tally.accepted += 1;
      slot.lastAcceptedTitle = slot.pendingTitle;
    },
  };
}

/** Gives each new connection the next slot (its applicant's draft and session). */
function slotPerConnection(slots: Slot[], request: (slot: Slot) => Request): (client: Client) => void {
  let next = 0;
  return (client) => {
    const slot = slots[next % slots.length]!;
    next += 1;
    client.setRequests([request(slot)]);
  };
}

function fire(
  url: string,
  connections: number,
  durationSeconds: number,
  setupClient: (client: Client) => void,
): Promise<Result> {
  return Promise.resolve(
    autocannon({ url, connections, duration: durationSeconds, pipelining: 1, timeout: 10, setupClient }),
  );
}

export type LoadSettings = { connections: number; durationSeconds: number; warmupSeconds: number };

/** Warm-up (not recorded), then the measured run; `settle` runs after each (autosave: resync with the database). */
async function warmThenMeasure(
  name: string,
  url: string,
  settings: LoadSettings,
  setup: () => (client: Client) => void,
  settle?: () => Promise<void>,
): Promise<Result> {
  process.stderr.write(`${name}: warm-up ${settings.warmupSeconds} s, `);
  await fire(url, settings.connections, settings.warmupSeconds, setup());
  await settle?.();
  process.stderr.write(`measure ${settings.durationSeconds} s… `);
  const result = await fire(url, settings.connections, settings.durationSeconds, setup());
  await settle?.();
  process.stderr.write(`${Math.round(result.requests.average)} req/s\n`);
  return result;
}

/** GET of a page, each connection with its own applicant's session and draft when `slots` are given. */
export async function loadPage(
  name: string,
  baseUrl: string,
  path: (slot?: Slot) => string,
  settings: LoadSettings,
  slots?: Slot[],
): Promise<Run> {
  const request = (slot?: Slot): Request => ({
    method: 'GET',
    path: path(slot),
    headers: { ...REQUEST_HEADERS, ...(slot ? { cookie: slot.applicant.cookie } : {}) },
  });
  const setup = () => (slots ? slotPerConnection(slots, request) : (client: Client) => client.setRequests([request()]));
  return { name, result: await warmThenMeasure(name, baseUrl, settings, setup) };
}

/**
 * Autosaves from every slot; the tally covers the measured run only, the slots count the warm-up too. `settle` runs
 * after the warm-up and after the run: when autocannon stops, the last save of a connection may have reached the
 * server without its answer being read, and the page's version must be brought up to date before the next run.
 */
export async function loadAutosave(
  name: string,
  baseUrl: string,
  slots: Slot[],
  settings: LoadSettings,
  unchanged: boolean,
  settle: () => Promise<void>,
): Promise<Run> {
  let tally: SaveTally = { accepted: 0, statuses: {}, unparsed: 0 };
  const setup = () => {
    tally = { accepted: 0, statuses: {}, unparsed: 0 };
    return slotPerConnection(slots, (slot) => autosaveRequest(slot, tally, unchanged));
  };
  const result = await warmThenMeasure(name, baseUrl, settings, setup, settle);
  return { name, result, saves: tally };
}
