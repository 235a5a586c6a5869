/**
 * The SDK's errors, in twilio-video's shape: `code` is twilio-video's number (53205, 20104, …) so
 * apps that switch on it keep working, and `name` its class name (TrackNameIsDuplicatedError, …).
 * Huddle's own stable string code, finer than Twilio's, is `huddleCode`; the underlying error,
 * if any, is `cause`.
 */
import { type ErrorCode, ErrorTable, isErrorCode, parseCloseReason } from '../protocol/errors.js';

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

  /** From a signalling message's error: an unknown code (a newer server) reads as INTERNAL. */
  static fromMessage(code: string, message: string): HuddleError {
    return new HuddleError(isErrorCode(code) ? code : 'INTERNAL', message);
  }

  /**
   * From a signalling close: the server puts the code at the start of the reason. A close without
   * one (a proxy, a crash) is a failed signalling connection, or the server going away (1001).
   */
  static fromClose(closeCode: number, reason: string): HuddleError {
    const code = parseCloseReason(reason);
    if (code) return new HuddleError(code, reason.slice(code.length + 2) || undefined);
    const detail = `Signalling connection closed (${closeCode}${reason ? `: ${reason}` : ''})`;
    return new HuddleError(closeCode === 1001 ? 'SERVER_SHUTTING_DOWN' : 'SIGNALLING_FAILED', detail);
  }
}
