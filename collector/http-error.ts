// The collector's typed request error: a status, a stable machine-readable code (listed in
// docs/api.md) and a message that says precisely what was wrong.

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
