/** An API error, in French, as JSON: what the caller did wrong or what went wrong, never a stack trace. */
export type ApiError = { erreur: { code: string; message: string } };
