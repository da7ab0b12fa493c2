/** An error that maps to a French error page with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 503,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
