import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/** A control character, raw or percent-encoded (NUL, line breaks, tabs…): no address of the service has one. */
const CONTROL = /%(?:[01][0-9a-f]|7f)|\p{Cc}/iu;

/**
 * Addresses with control characters are refused before anything looks them up (a NUL byte would reach PostgreSQL as
 * an error): in the path, there is no such page (404); in the query string, it cannot come from a form of ours (400).
 */
export const refuseControlCharacters: RequestHandler = (req, _res, next) => {
  const [path = '', query = ''] = req.originalUrl.split('?', 2);
  if (CONTROL.test(path)) return next(new HttpError(404, 'Adresse avec un caractère de contrôle'));
  if (CONTROL.test(query)) return next(new HttpError(400, 'Paramètre avec un caractère de contrôle', 'control-character'));
  next();
};
