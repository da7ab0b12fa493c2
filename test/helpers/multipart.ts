import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import * as cheerio from 'cheerio';
import { CookieAccessInfo } from 'cookiejar';
import type { Page, PageClient } from './page-client.ts';

/** A field, or a file (`filenameParam` replaces `filename="…"` in the header as given, e.g. an RFC 5987 `filename*`). */
export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; content: Buffer; type?: string; filenameParam?: string };

/** A multipart/form-data body built by hand, byte for byte (file names are sent as given, even hostile ones). */
export function multipartBody(parts: FormPart[]): { body: Buffer; contentType: string } {
  const boundary = `----signup-test-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = 'filename' in part;
    const head = file
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; ${part.filenameParam ?? `filename="${part.filename}"`}\r\nContent-Type: ${part.type ?? 'application/pdf'}\r\n\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), file ? part.content : Buffer.from(part.value, 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A real one-page PDF that a PDF parser reads (catalog, page tree, page, trailer), of exactly `size` bytes when
 * `size` is larger than its skeleton: the padding is a comment line, which readers skip. `label` is its title.
 */
export function pdf(size = 0, label = 'SignUp'): Buffer {
  const head = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const body = `1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n4 0 obj\n<< /Title (${label}) >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 4 0 R >>\n%%EOF\n`;
  const fixed = Buffer.byteLength(head, 'latin1') + Buffer.byteLength(body, 'latin1');
  const padding = size > fixed + 2 ? `%${' '.repeat(size - fixed - 2)}\n` : '';
  return Buffer.from(head + padding + body, 'latin1');
}

/** Posts a multipart body as the signed-in client (its cookies), and reads the answer as a page. */
export async function postMultipart(client: PageClient, path: string, parts: FormPart[]): Promise<Page> {
  const { body, contentType } = multipartBody(parts);
  const res = await client.agent.post(path).set('Content-Type', contentType).send(body);
  const html = res.text ?? '';
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    html,
    $: cheerio.load(html),
    location: res.headers.location as string | undefined,
  };
}

/** The Cookie header the client would send (to talk to a listening server over a raw socket). */
export function cookieHeader(client: PageClient): string {
  const jar = (
    client.agent as unknown as { jar: { getCookies: (access: unknown) => { toValueString: () => string }[] } }
  ).jar;
  return jar
    .getCookies(CookieAccessInfo.All)
    .map((c) => c.toValueString())
    .join('; ');
}

/**
 * Sends the headers and the first `cut` bytes of a multipart body to a listening server, waits until `ready()` says
 * the server is writing it, then destroys the socket: a browser closed mid-upload.
 */
export async function interruptedPost(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  cut: number,
  ready: () => Promise<boolean>,
): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const lines = Object.entries({ Host: `${hostname}:${port}`, 'Content-Length': String(body.length), ...headers }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  socket.write(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  await new Promise<void>((resolve, reject) =>
    socket.write(body.subarray(0, cut), (error) => (error ? reject(error) : resolve())),
  );
  const deadline = Date.now() + 10_000;
  while (!(await ready()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  socket.destroy();
}
