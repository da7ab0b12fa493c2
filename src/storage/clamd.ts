import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** What clamd said about a stream: clean, or the name of what it found. */
export type ScanResult = { infected: false } | { infected: true; virus: string };

/** Reads a stream and says whether it carries a virus; throws a ScannerError when it cannot tell. */
export type Scanner = { scan: (content: Readable) => Promise<ScanResult> };

/** clamd unreachable, too slow, or answering an error: the file's status cannot be decided now. */
export class ScannerError extends Error {
  override name = 'ScannerError';
}

/** Well under clamd's StreamMaxLength chunking needs; small enough to keep memory flat. */
export const CHUNK_BYTES = 64 * 1024;
export const SCAN_TIMEOUT_MS = 10_000;

/** `tcp://host:port` → where to connect. */
export function clamdAddress(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'tcp:' || !parsed.hostname || !parsed.port)
    throw new ScannerError(`Adresse clamd invalide : ${url}`);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

/** One INSTREAM chunk: its length as a 4-byte big-endian unsigned integer, then the bytes (none for the last). */
export function frame(data: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(data.length, 0);
  return Buffer.concat([header, data]);
}

/** Splits what a stream yields into chunks of `size` bytes at most (a big read becomes several chunks). */
export function* split(data: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

/** clamd's answer, without its NUL: `stream: OK`, `stream: <name> FOUND`, or `… ERROR`. */
export function parseReply(reply: string): ScanResult {
  const text = reply.replace(/\0+$/, '').trim();
  if (/^stream: OK$/.test(text)) return { infected: false };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { infected: true, virus: (found[1] as string).slice(0, 200) };
  throw new ScannerError(`Réponse de clamd : ${text.slice(0, 200) || '(vide)'}`);
}

function write(socket: Socket, data: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

/** The INSTREAM conversation's sending half: command, framed chunks (each awaited: back-pressure), end mark. */
async function send(socket: Socket, content: Readable, chunkBytes: number, done: () => boolean): Promise<void> {
  await write(socket, 'zINSTREAM\0');
  for await (const chunk of content) {
    for (const piece of split(Buffer.from(chunk as Buffer), chunkBytes)) {
      if (done()) return;
      await write(socket, frame(piece));
    }
  }
  await write(socket, frame(Buffer.alloc(0)));
}

type Exchange = { url: string; address: { host: string; port: number }; timeoutMs: number; chunkBytes: number };

/** One INSTREAM exchange on its own connection; settles once (answer, error or timeout), then closes socket and file. */
function exchange({ url, address, timeoutMs, chunkBytes }: Exchange, content: Readable): Promise<ScanResult> {
  return new Promise<ScanResult>((resolve, reject) => {
    let settled = false;
    let reply = Buffer.alloc(0);
    const socket = connect(address);
    const finish = (error: Error | undefined, result?: ScanResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      content.destroy();
      if (error) reject(error);
      else resolve(result as ScanResult);
    };
    const answer = () => {
      try {
        finish(undefined, parseReply(reply.toString('utf8')));
      } catch (error) {
        finish(error as Error);
      }
    };
    const unreachable = (error: Error) => new ScannerError(`clamd injoignable (${url}) : ${error.message}`);
    const timer = setTimeout(
      () => finish(new ScannerError(`clamd n’a pas répondu en ${timeoutMs} ms (${url})`)),
      timeoutMs,
    );
    socket.on('error', (error) => finish(unreachable(error)));
    socket.on('data', (data: Buffer) => {
      reply = Buffer.concat([reply, data]);
      if (reply.includes(0)) answer();
    });
    socket.on('end', () =>
      reply.length ? answer() : finish(new ScannerError(`clamd a fermé la connexion sans répondre (${url})`)),
    );
    content.on('error', (error) => finish(new Error(`Lecture de la pièce jointe impossible : ${error.message}`)));
    // A failed write (clamd answered early and closed) waits one turn: the answer or the socket's error tells more.
    socket.once(
      'connect',
      () =>
        void send(socket, content, chunkBytes, () => settled).catch((error: Error) =>
          setImmediate(() => finish(unreachable(error))),
        ),
    );
  });
}

/**
 * A clamd client speaking INSTREAM over TCP (`CLAMD_URL=tcp://host:3310`): one connection per file, the whole
 * exchange bounded by `timeoutMs`. An early answer (clamd's size limit) ends the exchange at once.
 */
export function clamdScanner(url: string, options: { timeoutMs?: number; chunkBytes?: number } = {}): Scanner {
  const settings = {
    url,
    address: clamdAddress(url),
    timeoutMs: options.timeoutMs ?? SCAN_TIMEOUT_MS,
    chunkBytes: options.chunkBytes ?? CHUNK_BYTES,
  };
  return { scan: (content) => exchange(settings, content) };
}
