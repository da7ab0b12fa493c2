import type { Request, RequestHandler } from 'express';

/** The header that tells scripts when the session of this response ends (ISO 8601): any answered request renews it. */
export const SESSION_EXPIRE_HEADER = 'X-Session-Expire';

/**
 * For signed-in users (after `loadCurrentUser`): the idle duration for the session-timeout partial
 * (`data-session-idle-ms`, from which public/js/signup.js counts down without trusting the browser's clock), and
 * the new expiry in a response header, read by signup.js after each htmx request (autosave renews the session).
 */
export const sessionExpiryLocals: RequestHandler = (req, res, next) => {
  const expiresAt = res.locals.sessionExpiresAt;
  if (expiresAt instanceof Date) {
    res.locals.sessionIdleMs = req.session.cookie.originalMaxAge ?? Math.max(0, expiresAt.getTime() - Date.now());
    res.set(SESSION_EXPIRE_HEADER, expiresAt.toISOString());
  }
  next();
};

/** After « Prolonger ma session » on a step, whose input is then saved as a draft (« Brouillon enregistré à … » follows). */
export const SESSION_EXTENDED_SAVED = 'Votre session est prolongée.';

/** Shown after « Prolonger ma session » on a form that was not sent: what was typed is shown back, not saved. */
export const SESSION_EXTENDED =
  'Votre session est prolongée. Ce que vous avez saisi est toujours là : pensez à l’enregistrer.';

/** Pushes the session's end back now: the row is saved (touches are otherwise throttled, see middleware/session.ts). */
export function keepSessionAlive(req: Request): Promise<void> {
  req.session.touch();
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));
}
