import { createServer, type Server, type Socket } from 'node:net';

/** The EICAR anti-malware test string: every antivirus reports it, it does nothing. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
export const EICAR_NAME = 'Eicar-Test-Signature';

/** A PDF (a parser reads its page) that carries the EICAR string in a stream. */
export function eicarPdf(): Buffer {
  const body = `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n4 0 obj\n<< /Length ${EICAR.length} >>\nstream\n${EICAR}\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * `silent`: reads everything, never answers (a hung clamd); `error`: answers an ERROR; `close`: hangs up at once.
 */
export type FakeClamdMode = 'scan' | 'silent' | 'error' | 'close';

export type FakeClamd = {
  url: string;
  /** Connections accepted since the start (or the last `clear`). */
  connections: number;
  /** Each INSTREAM received whole: its bytes reassembled, and the size of each chunk as framed. */
  streams: { data: Buffer; chunks: number[] }[];
  mode: FakeClamdMode;
  /** Stops listening and cuts open connections: clamd is down. */
  stop: () => Promise<void>;
  /** Listens again on the same port: clamd is back. */
  start: () => Promise<void>;
  clear: () => void;
};

const STREAM_MAX = 25 * 1024 * 1024; // clamd's default StreamMaxLength

/** Reads `zINSTREAM\0`, then length-prefixed chunks up to the zero-length one, as clamd does; answers like clamd. */
function serve(socket: Socket, fake: FakeClamd): void {
  let buffer = Buffer.alloc(0);
  let command: string | undefined;
  const chunks: Buffer[] = [];
  const sizes: number[] = [];
  let total = 0;
  const reply = (text: string) => socket.end(`${text}\0`);
  socket.on('error', () => undefined);
  if (fake.mode === 'close') {
    socket.destroy();
    return;
  }
  socket.on('data', (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    if (command === undefined) {
      const end = buffer.indexOf(0);
      if (end < 0) return;
      command = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 1);
      if (command === 'zPING') return reply('PONG');
      if (command !== 'zINSTREAM') return reply('UNKNOWN COMMAND');
    }
    while (buffer.length >= 4) {
      const size = buffer.readUInt32BE(0);
      if (size === 0) return finish();
      if (buffer.length < 4 + size) return;
      chunks.push(buffer.subarray(4, 4 + size));
      sizes.push(size);
      total += size;
      buffer = buffer.subarray(4 + size);
      if (total > STREAM_MAX) return reply('INSTREAM size limit exceeded. ERROR');
    }
  });
  function finish() {
    const data = Buffer.concat(chunks);
    fake.streams.push({ data, chunks: sizes });
    if (fake.mode === 'silent') return;
    if (fake.mode === 'error') return reply("stream: Can't allocate memory ERROR");
    reply(data.includes(Buffer.from(EICAR, 'latin1')) ? `stream: ${EICAR_NAME} FOUND` : 'stream: OK');
  }
}

/** A clamd speaking INSTREAM for real over TCP, on 127.0.0.1 and a free port; it can be stopped and started again. */
export async function startFakeClamd(): Promise<FakeClamd> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const fake: FakeClamd = {
    url: '',
    connections: 0,
    streams: [],
    mode: 'scan',
    clear: () => {
      fake.connections = 0;
      fake.streams = [];
    },
    start: () =>
      new Promise<void>((resolve, reject) => {
        server = createServer((socket) => {
          fake.connections += 1;
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          serve(socket, fake);
        });
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          port = (server!.address() as { port: number }).port;
          fake.url = `tcp://127.0.0.1:${port}`;
          resolve();
        });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server) return resolve();
        server.close(() => resolve());
        server = undefined;
      }),
  };
  await fake.start();
  return fake;
}
