/**
 * Every error Huddle reports, from one table: a stable string code that clients can switch on,
 * the HTTP status used when it answers a request, the WebSocket close code used when it ends a
 * signalling connection, and the closest twilio-video error code so pages written for Twilio keep
 * working. Messages are for people; codes are for programs.
 */
export const ErrorTable = {
  USERNAME_REQUIRED: { status: 401, close: 4401, twilio: 20107, message: 'A non-empty username is required' },
  INVALID_BODY: { status: 400, close: 4400, twilio: 53000, message: 'The request body is not valid' },
  NAME_INVALID: { status: 400, close: 4400, twilio: 53200, message: 'Names must be 1 to 128 characters of text' },
  TOKEN_INVALID: { status: 401, close: 4401, twilio: 20101, message: 'The access token is invalid' },
  TOKEN_EXPIRED: { status: 401, close: 4401, twilio: 20104, message: 'The access token has expired' },
  ROOM_MISMATCH: { status: 403, close: 4403, twilio: 20106, message: 'The access token does not grant this room' },
  DUPLICATE_IDENTITY: {
    status: 409,
    close: 4409,
    twilio: 53205,
    message: 'Another connection joined with the same identity',
  },
  INVALID_JSON: { status: 400, close: 4400, twilio: 53004, message: 'The message is not valid JSON' },
  INVALID_MESSAGE: { status: 400, close: 4400, twilio: 53004, message: 'The message does not match the protocol' },
  MESSAGE_TOO_LARGE: { status: 413, close: 1009, twilio: 53004, message: 'The message is too large' },
  NOT_JOINED: { status: 409, close: 4409, twilio: 53004, message: 'Send join before any other message' },
  ALREADY_JOINED: { status: 409, close: 4409, twilio: 53004, message: 'This connection has already joined a room' },
  JOIN_TIMEOUT: { status: 408, close: 4408, twilio: 53002, message: 'No join message arrived in time' },
  NEGOTIATION_FAILED: { status: 500, close: 4500, twilio: 53400, message: 'Media negotiation failed' },
  MEDIA_FAILED: { status: 500, close: 4500, twilio: 53405, message: 'The media connection failed' },
  SIGNALLING_FAILED: {
    status: 502,
    close: 4502,
    twilio: 53001,
    message: 'The signalling connection to the server failed',
  },
  PROTOCOL_UNSUPPORTED: {
    status: 400,
    close: 4400,
    twilio: 53004,
    message: 'This client speaks a protocol version the server does not',
  },
  PUBLISH_FAILED: { status: 409, close: 4409, twilio: 53300, message: 'The track could not be published' },
  CONFIG_INVALID: { status: 500, close: 1011, twilio: 53000, message: 'A setting is invalid' },
  IDENTITY_IN_USE: {
    status: 409,
    close: 4409,
    twilio: 53205,
    message: 'Someone with this name is already in the room',
  },
  SLOW_CONSUMER: {
    status: 429,
    close: 4429,
    twilio: 53000,
    message: 'The connection is not reading what it is sent',
  },
  TOO_MANY_CONNECTIONS: { status: 429, close: 4429, twilio: 53006, message: 'Too many connections from this address' },
  ORIGIN_NOT_ALLOWED: { status: 403, close: 4403, twilio: 53000, message: 'Requests from this origin are not allowed' },
  HOST_NOT_ALLOWED: {
    status: 421,
    close: 4403,
    twilio: 53000,
    message: 'This server does not answer to that host name',
  },
  CONVERSATIONS_UNAVAILABLE: {
    status: 400,
    close: 4400,
    twilio: 50000,
    message: 'Twilio Conversations is not available on this server',
  },
  RECORDING_UNAVAILABLE: {
    status: 501,
    close: 4400,
    twilio: 53000,
    message: 'This server does not record rooms: there are no recording rules to update',
  },
  FORBIDDEN: { status: 403, close: 4403, twilio: 53000, message: 'Forbidden' },
  TRACK_NAME_DUPLICATED: {
    status: 409,
    close: 4409,
    twilio: 53304,
    message: 'A track of this name is already published',
  },
  TOO_MANY_TRACKS: {
    status: 409,
    close: 4409,
    twilio: 53203,
    message: 'No more tracks can be published at once',
  },
  TRACK_NAME_INVALID: { status: 400, close: 4400, twilio: 53301, message: 'The track name is not valid' },
  TRACK_NOT_FOUND: { status: 404, close: 4404, twilio: 53000, message: 'No such track of yours' },
  MEDIA_TIMEOUT: {
    status: 408,
    close: 4408,
    twilio: 53405,
    message: 'The media connection did not come up in time',
  },
  BAD_REQUEST: { status: 400, close: 4400, twilio: 53000, message: 'The request is not valid HTTP' },
  HEADERS_TOO_LARGE: { status: 431, close: 4400, twilio: 53000, message: 'The request headers are too large' },
  REQUEST_TIMEOUT: { status: 408, close: 4408, twilio: 53000, message: 'The request took too long' },
  SERVER_SHUTTING_DOWN: { status: 503, close: 1001, twilio: 53001, message: 'The server is shutting down' },
  MEDIA_RESTARTING: { status: 503, close: 1012, twilio: 53405, message: 'The media server restarted; reconnect' },
  RECONNECT_FAILED: { status: 503, close: 4503, twilio: 53001, message: 'Could not reconnect to the room' },
  ROOM_FULL: { status: 429, close: 4429, twilio: 53105, message: 'The room is full' },
  TOO_MANY_ROOMS: { status: 429, close: 4429, twilio: 53103, message: 'The server has no room for another room' },
  NOT_FOUND: { status: 404, close: 4404, twilio: 53000, message: 'Not found' },
  RATE_LIMITED: { status: 429, close: 4429, twilio: 53006, message: 'Too many requests or messages; slow down' },
  INTERNAL: { status: 500, close: 1011, twilio: 53000, message: 'Internal server error' },
} as const satisfies Record<string, { status: number; close: number; twilio: number; message: string }>;

export type ErrorCode = keyof typeof ErrorTable;

export const ERROR_CODES = Object.keys(ErrorTable) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorTable, value);
}

/** The JSON body of every HTTP error and the payload of every signalling error message. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { code, message: message ?? ErrorTable[code].message };
}

/**
 * WebSocket close reasons carry the code first so a client can recover it: "TOKEN_EXPIRED: ...".
 * The reason is capped at 123 bytes by the WebSocket spec.
 */
export function closeReason(code: ErrorCode, message?: string): string {
  const text = `${code}: ${message ?? ErrorTable[code].message}`;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  return `${new TextDecoder().decode(bytes.slice(0, 120)).replace(/\uFFFD$/, '')}...`;
}

/** Errors after which reconnecting cannot help: the SDK gives up at once on these. */
export const TERMINAL_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'ROOM_MISMATCH',
  'DUPLICATE_IDENTITY',
  'IDENTITY_IN_USE',
  'NAME_INVALID',
  'ROOM_FULL',
  'TOO_MANY_ROOMS',
]);

export function parseCloseReason(reason: string): ErrorCode | undefined {
  const code = reason.split(':', 1)[0];
  return isErrorCode(code) ? code : undefined;
}

/**
 * What a signalling close means: the server puts the code at the start of the reason. A close
 * without one (a proxy, a crash) is a failed signalling connection, or the server going away (1001).
 */
export function closeError(closeCode: number, reason: string): { code: ErrorCode; message: string | undefined } {
  const code = parseCloseReason(reason);
  if (code) return { code, message: reason.slice(code.length + 2) || undefined };
  const message = `Signalling connection closed (${closeCode}${reason ? `: ${reason}` : ''})`;
  return { code: closeCode === 1001 ? 'SERVER_SHUTTING_DOWN' : 'SIGNALLING_FAILED', message };
}

/** A signalling message's error code: an unknown one (from a newer server) reads as INTERNAL. */
export const messageErrorCode = (code: string): ErrorCode => (isErrorCode(code) ? code : 'INTERNAL');

/**
 * The one error class of server and SDK alike: a stable code from the table, a message for people,
 * and the underlying error (if any) as `cause`, never flattened into the message.
 */
export class HuddleError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? ErrorTable[code].message, options);
    this.name = 'HuddleError';
  }

  /** The HTTP status this error answers a request with. */
  get status(): number {
    return ErrorTable[this.code].status;
  }

  /** The closest twilio-video error code, for pages written for Twilio. */
  get twilioCode(): number {
    return ErrorTable[this.code].twilio;
  }

  body(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}
