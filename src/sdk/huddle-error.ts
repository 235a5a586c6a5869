/**
 * The SDK's errors, in twilio-video's shape: `code` is twilio-video's number (53205, 20104, …) so
 * apps that switch on it keep working, and `name` its class name (TrackNameIsDuplicatedError, …).
 * Huddle's own stable string code, finer than Twilio's, is `huddleCode`; the underlying error,
 * if any, is `cause`.
 */
import { closeError, type ErrorCode, ErrorTable, messageErrorCode } from '../protocol/errors.js';

/** twilio-video's error class names, by code, for the codes Huddle's table maps to. */
const TWILIO_ERROR_NAMES: Readonly<Record<number, string>> = {
  20101: 'AccessTokenInvalidError',
  20104: 'AccessTokenExpiredError',
  20106: 'AccessTokenGrantsInvalidError',
  20107: 'AccessTokenSignatureInvalidError',
  53000: 'SignalingConnectionError',
  53001: 'SignalingConnectionDisconnectedError',
  53002: 'SignalingConnectionTimeoutError',
  53004: 'SignalingOutgoingMessageInvalidError',
  53006: 'SignalingServerBusyError',
  53103: 'RoomCreateFailedError',
  53105: 'RoomMaxParticipantsExceededError',
  53200: 'ParticipantIdentityInvalidError',
  53203: 'ParticipantMaxTracksExceededError',
  53205: 'ParticipantDuplicateIdentityError',
  53300: 'TrackInvalidError',
  53301: 'TrackNameInvalidError',
  53304: 'TrackNameIsDuplicatedError',
  53400: 'MediaClientLocalDescFailedError',
  53403: 'MediaServerRemoteDescFailedError',
  53405: 'MediaConnectionError',
};

/** twilio-video's TwilioError: a numeric code and a message. */
export class TwilioError extends Error {
  constructor(
    readonly code: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = TWILIO_ERROR_NAMES[code] ?? 'TwilioError';
  }
}

export class HuddleError extends TwilioError {
  constructor(
    /** Huddle's stable code (docs/protocol.md's error table). */
    readonly huddleCode: ErrorCode,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(ErrorTable[huddleCode].twilio, message ?? ErrorTable[huddleCode].message, options);
  }

  /** The HTTP status the server gives this error. */
  get status(): number {
    return ErrorTable[this.huddleCode].status;
  }

  /** From a signalling message's error (src/protocol/errors.ts reads its code). */
  static fromMessage(code: string, message: string): HuddleError {
    return new HuddleError(messageErrorCode(code), message);
  }

  /** From a signalling close (src/protocol/errors.ts reads what it means). */
  static fromClose(closeCode: number, reason: string): HuddleError {
    const { code, message } = closeError(closeCode, reason);
    return new HuddleError(code, message);
  }
}
