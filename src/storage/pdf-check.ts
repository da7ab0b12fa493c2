import { Worker } from 'node:worker_threads';

/** What one check may use: a file built to make PDF.js decompress gigabytes is stopped, and reads as no PDF. */
export const PDF_CHECK_LIMITS = { timeMs: 10_000, heapMb: 256 };

/** A worker thread does not inherit the TypeScript loader (tsx) of the server: it registers it, then runs the reader. */
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./pdf-reader.worker.ts', import.meta.url).href)}); })`;

type Reader = { worker: Worker; ready: Promise<boolean> };
let reader: Reader | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 0;

/** The reader thread, started on first use and kept (PDF.js takes a second to load); a new one after a failure. */
function currentReader(): Reader {
  if (reader) return reader;
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: PDF_CHECK_LIMITS.heapMb, maxYoungGenerationSizeMb: 32 },
  });
  worker.unref(); // it never keeps the process alive
  const started: Reader = {
    worker,
    ready: new Promise((resolve) => {
      worker.once('message', (message) => resolve(message === 'ready'));
      worker.once('error', () => resolve(false));
    }),
  };
  const forget = () => {
    if (reader === started) reader = undefined;
  };
  worker.once('error', forget);
  worker.once('exit', forget);
  reader = started;
  return started;
}

function check(path: string): Promise<boolean> {
  const { worker, ready } = currentReader();
  return ready.then((started) => {
    if (!started) return false;
    const id = (nextId += 1);
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(ok);
      };
      const onMessage = (message: { id?: number; ok?: boolean }) => message.id === id && done(message.ok === true);
      const onExit = () => done(false); // out of memory, among others
      const timer = setTimeout(() => {
        void worker.terminate(); // the next check starts a new reader
        done(false);
      }, PDF_CHECK_LIMITS.timeMs);
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.postMessage({ id, path });
    });
  });
}

/**
 * Whether the file at `path` is a PDF that PDF.js reads (`readsAsPdf`), checked in a worker thread with its own heap
 * and a time limit, one file at a time: parsing a hostile file never blocks or exhausts the server, it fails.
 */
export function isReadablePdf(path: string): Promise<boolean> {
  const result = queue.then(() => check(path));
  queue = result.catch(() => undefined);
  return result;
}
