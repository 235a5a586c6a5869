import { type ErrorCode, ErrorTable, isErrorCode, parseCloseReason } from '../protocol/errors.js';

/** Every error the SDK raises: a stable string code, and the matching twilio-video error number. */
export class HuddleError extends Error {
  readonly twilioCode: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
  ) {
    super(message ?? ErrorTable[code].message);
    this.name = 'HuddleError';
    this.twilioCode = ErrorTable[code].twilio;
  }

  /** From a signalling close: the server puts the code at the start of the reason. */
  static fromClose(closeCode: number, reason: string): HuddleError {
    const code = parseCloseReason(reason);
    if (code) return new HuddleError(code, reason.slice(code.length + 2) || undefined);
    return new HuddleError(
      closeCode === 1001 ? 'SERVER_SHUTTING_DOWN' : 'MEDIA_FAILED',
      `Signalling connection closed (${closeCode}${reason ? `: ${reason}` : ''})`,
    );
  }

  static fromMessage(code: string, message: string): HuddleError {
    return new HuddleError(isErrorCode(code) ? code : 'INTERNAL', message);
  }
}
