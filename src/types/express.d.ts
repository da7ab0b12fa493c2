/**
 * What a session holds and what a response carries for the views, declared once for the whole application. Set by
 * the middleware named beside each field; read anywhere without a cast.
 */
import 'express-session';
import type { Logger } from '../logger.ts';
import type { MultipartReader } from '../middleware/multipart.ts';
import type { User } from '../repositories/users.ts';

declare module 'express-session' {
  interface SessionData {
    /** csrf.ts: the synchroniser token of the session's forms. */
    csrfToken?: string;
    userId?: string;
    /** When the user signed in (ms): the session ends 12 hours later whatever the activity. */
    authAt?: number;
    organisationId?: string;
    returnTo?: string;
    userAgent?: string;
    /** A token from an email link, kept here so that the page's URL no longer carries it. */
    emailToken?: { purpose: 'activation' | 'reset' | 'email_change' | 'invitation'; token: string };
    /** When the password was last typed again to confirm a sensitive action (ms); authAt is kept for the 12 h limit. */
    reauthAt?: number;
    /** A message shown once on the next page. */
    notice?: string;
    /**
     * Staff only, between the password and the second factor: who typed their password, and when. Such a session is
     * not signed in (no `userId`): it can only pass the second factor or sign out.
     */
    pendingUserId?: string;
    pendingAt?: number;
    /** Staff only: this session passed the second factor. */
    mfa?: boolean;
    /** When the second factor was passed (ms). */
    mfaAt?: number;
    /** Staff only: recovery codes just made, sealed, until their page shows them once (services/mfa.ts). */
    recoveryCodes?: string;
    /** A token just created or renewed, sealed, until its page shows it once (services/api-tokens.ts). */
    newToken?: { id: string; sealed: string };
    /** Admins: the signing secret of a webhook just made, sealed, until its page shows it once. */
    newWebhookSecret?: { id: string; sealed: string };
    /** When the last draft save of a step happened (ISO): « Brouillon enregistré à 14 h 32 » on the next step page. */
    draftSavedAt?: string;
    /** A message for one step of one request (« Le fichier … est joint »), shown once by that step's page. */
    stepNotice?: { requestId: string; step: string; text: string };
  }
}

declare global {
  namespace Express {
    interface Request {
      /** request-logging.ts: this request's id (X-Request-Id), shown on error pages as the incident number. */
      id: string;
      /** request-logging.ts: a logger whose lines carry this request's id, method and path. */
      log?: Logger;
    }
    interface Locals {
      /** security.ts: the nonce of this response's scripts. */
      cspNonce?: string;
      /** htmx.ts: an htmx request (not a boosted navigation): answer with a fragment. */
      isHtmx?: boolean;
      /** views.ts */
      currentPath?: string;
      /** csrf.ts: the token for the forms of this page. */
      csrfToken?: () => string;
      /** auth.ts: the signed-in user, and when the session ends. */
      user?: User;
      sessionExpiresAt?: Date;
      /** auth.ts: a staff session that has typed the password and not yet the second factor. */
      awaitingSecondFactor?: boolean;
      /** session-expiry.ts: the idle duration the page counts down from. */
      sessionIdleMs?: number;
      /** form-stash.ts: the signed ticket of a step form, and the stash to restore after sign-in. */
      stashTicket?: () => string;
      stashId?: string;
      /** multipart.ts: the upload being read. */
      multipart?: MultipartReader;
    }
  }
}
