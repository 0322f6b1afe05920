/** One error type with a documented code, an HTTP status and a message safe to show a person. */
export type AppErrorCode =
  | 'not_found' // 404: missing, or not yours to see (we never say which)
  | 'bad_request' // 400: the request cannot be understood
  | 'csrf' // 403: the form was stale or forged
  | 'too_many' // 429: slow down
  | 'conflict' // 409: someone else changed it first
  | 'unavailable'; // 503

const STATUS: Record<AppErrorCode, number> = {
  not_found: 404,
  bad_request: 400,
  csrf: 403,
  too_many: 429,
  conflict: 409,
  unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (): AppError => new AppError('not_found', 'Page not found');
