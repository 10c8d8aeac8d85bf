// Typed errors of the read API; each carries the HTTP status, a stable code and a message saying
// precisely what was wrong (the same {error, message} body as the collector's errors).
export const READ_API_ERROR_CODES = {
  400: 'invalid_query',
  401: 'unauthorized',
  403: 'wrong_org',
  404: 'unknown_metric',
} as const;

export class ReadApiError extends Error {
  override name = 'ReadApiError';
  constructor(
    readonly status: keyof typeof READ_API_ERROR_CODES,
    message: string,
  ) {
    super(message);
  }

  get code(): string {
    return READ_API_ERROR_CODES[this.status];
  }
}
