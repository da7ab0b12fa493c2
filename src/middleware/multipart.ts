import type { Readable } from 'node:stream';
import busboy, { type Busboy } from 'busboy';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

export type MultipartPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string; stream: Readable & { truncated?: boolean } };

export type MultipartLimits = { fileBytes: number; files: number; bodyBytes: number };

/** An upload that stopped before its end (the browser went away, the connection broke): nothing of it is kept. */
export class UploadInterrupted extends Error {
  readonly status = 400;
}

/**
 * A multipart body read part by part, as it arrives: a file part must be consumed (or drained) before the next part
 * comes, so nothing is buffered in memory. Any failure of the connection or of the parser destroys the file stream
 * being read, which makes its consumer fail and remove what it wrote.
 */
export class MultipartReader {
  private readonly parts: MultipartPart[] = [];
  private readonly parser: Busboy;
  private waiter: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  private received = 0;
  /** More files than `limits.files` were sent: the extra ones were skipped unread. */
  tooManyFiles = false;

  constructor(
    private readonly req: Request,
    limits: MultipartLimits,
  ) {
    // fileSize + 1: busboy marks a file `truncated` when it reaches the limit, and a file of exactly the limit is allowed.
    this.parser = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: {
        fileSize: limits.fileBytes + 1,
        files: limits.files,
        fields: 50,
        fieldSize: 100 * 1024,
        parts: limits.files + 50,
      },
    });
    this.parser.on('field', (name, value) => this.push({ kind: 'field', name, value }));
    this.parser.on('file', (name, stream, info) => {
      stream.on('error', () => undefined); // a part destroyed before anyone reads it must not crash the process
      this.push({ kind: 'file', name, filename: info.filename ?? '', stream });
    });
    this.parser.on('filesLimit', () => (this.tooManyFiles = true));
    this.parser.on('close', () => {
      this.ended = true;
      this.wake();
    });
    this.parser.on('error', (error: Error) => this.fail(new UploadInterrupted(error.message)));
    req.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.received > limits.bodyBytes) {
        this.fail(new UploadInterrupted('body over the hard limit'));
        req.destroy();
      }
    });
    req.on('error', (error) => this.fail(new UploadInterrupted(error.message)));
    req.on('close', () => req.complete || this.fail(new UploadInterrupted('connection closed')));
    req.pipe(this.parser);
  }

  /** The next part, undefined at the end of the body; throws UploadInterrupted when the body did not arrive whole. */
  async next(): Promise<MultipartPart | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const part = this.parts.shift();
      if (part) return part;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** The fields sent before the first file (the CSRF token comes first in our forms); the file stays next. */
  async leadingFields(): Promise<Record<string, string>> {
    const fields: Record<string, string> = {};
    for (let part = await this.next(); part; part = await this.next()) {
      if (part.kind === 'file') {
        this.parts.unshift(part);
        break;
      }
      fields[part.name] = part.value;
    }
    return fields;
  }

  /** After the response: stop parsing, and read what is left of the body into nothing (up to the hard limit). */
  dispose(): void {
    if (this.ended || this.failure) return;
    this.fail(new UploadInterrupted('response sent before the end of the body'));
    this.req.unpipe(this.parser);
    this.req.resume();
  }

  private push(part: MultipartPart): void {
    this.parts.push(part);
    this.wake();
  }

  private fail(error: Error): void {
    if (this.ended || this.failure) return;
    this.failure = error;
    this.parser.destroy(error);
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/**
 * Placed before the CSRF check, for the multipart forms at `paths` only: starts reading the body and puts the fields
 * that precede the first file in `req.body`, so that the CSRF token is checked before any file is written; the route
 * then reads the rest from `res.locals.multipart`. A body announced above the hard limit is refused at once (413).
 */
export function multipartForms(paths: RegExp, limits: MultipartLimits): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || !paths.test(req.path) || !req.is('multipart/form-data')) return next();
    if (Number(req.get('Content-Length') ?? 0) > limits.bodyBytes) {
      res.set('Connection', 'close');
      return next(new HttpError(413, 'Envoi trop volumineux'));
    }
    let reader: MultipartReader;
    try {
      reader = new MultipartReader(req, limits);
    } catch (error) {
      return next(new UploadInterrupted((error as Error).message)); // malformed Content-Type (no boundary)
    }
    res.on('close', () => reader.dispose());
    try {
      req.body = await reader.leadingFields();
    } catch (error) {
      return next(error);
    }
    res.locals.multipart = reader;
    next();
  };
}
