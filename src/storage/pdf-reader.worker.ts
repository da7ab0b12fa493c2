/**
 * Runs in a worker thread (src/storage/pdf-check.ts): for each file it is sent, tells whether PDF.js opens it. Its own
 * heap, and a time limit kept by the server: a file made to exhaust the parser stops this thread, never the server's.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { readsAsPdf } from '../domain/attachments.ts';

const port = parentPort!;
await readsAsPdf(new Uint8Array()); // loads PDF.js once, before the first file
port.on('message', async ({ id, path }: { id: number; path: string }) => {
  const ok = await readFile(path).then(
    (bytes) => readsAsPdf(bytes),
    () => false,
  );
  port.postMessage({ id, ok });
});
port.postMessage('ready');
