import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Pages take forms, nothing else: a body of another type (JSON, text, XML, a multipart form outside the upload
 * route) is refused with the French 415 page before any handler reads it, so that none meets a body it does not
 * expect (and none acts half-way on one). No body at all is an empty form. The JSON API will have its own app.
 */
export function formBodiesOnly(multipartPaths: RegExp): RequestHandler {
  return (req, _res, next) => {
    if (!SAFE_METHODS.has(req.method) && hasBody(req)) {
      const form =
        req.is('application/x-www-form-urlencoded') || (multipartPaths.test(req.path) && req.is('multipart/form-data'));
      if (!form) return next(new HttpError(415, 'Le corps de la requête n’est pas un formulaire', 'not-a-form'));
    }
    if (req.body === undefined || req.body === null || typeof req.body !== 'object') req.body = {};
    next();
  };
}
