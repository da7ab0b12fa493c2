import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/** A C0 control character, percent-encoded (NUL, line breaks, tabs…), or raw: no page of the service has one. */
const CONTROL = /%(?:[01][0-9a-f]|7f)|[\p{Cc}]/iu;
/** NUL, which PostgreSQL refuses in any text: a query string never carries it to a lookup. */
const NUL = /%00|\0/;

/**
 * Addresses that no page has are refused before anything looks them up: a control character in the path is no page
 * of ours (404); a NUL byte in the query string cannot come from our forms and would reach PostgreSQL as an error
 * (400). Other characters of a query string (a tab pasted in a search) are left to the routes, which clean them.
 */
export const refuseControlCharacters: RequestHandler = (req, _res, next) => {
  const [path = '', query = ''] = req.originalUrl.split('?', 2);
  if (CONTROL.test(path)) return next(new HttpError(404, 'Adresse avec un caractère de contrôle'));
  if (NUL.test(query)) return next(new HttpError(400, 'Paramètre avec un caractère nul', 'control-character'));
  next();
};
