import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string[]; raw: string };
export type FakeSmtp = {
  url: string;
  messages: ReceivedMail[];
  /** accept: take messages; refuse: answer 421 to every message (service not available). */
  setMode: (mode: 'accept' | 'refuse') => void;
  close: () => Promise<void>;
};

/**
 * A real SMTP server in this process (smtp-server), on a loopback port, that keeps what it receives. `beforeAccept`
 * runs once a message is received and before the server says it is accepted (the sender is then still waiting).
 */
export async function startFakeSmtp(
  options: { beforeAccept?: (mail: ReceivedMail) => Promise<void> } = {},
): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  let mode: 'accept' | 'refuse' = 'accept';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (mode === 'refuse') {
        const error = Object.assign(new Error('Service temporairement indisponible'), { responseCode: 421 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        messages.push(mail);
        void (options.beforeAccept?.(mail) ?? Promise.resolve()).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    setMode: (next) => {
      mode = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
