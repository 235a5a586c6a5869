import { type ErrorCode, ErrorTable, errorBody } from '../../protocol/errors.js';

/** An error a route throws on purpose; the error handler answers it from the error table. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ErrorTable[code].message);
    this.name = 'HttpError';
  }

  get statusCode(): number {
    return ErrorTable[this.code].status;
  }

  body() {
    return errorBody(this.code, this.message);
  }
}
