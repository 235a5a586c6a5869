/**
 * Requests Node refuses before Fastify sees them (headers trickled past the deadline, headers too
 * large, bytes that are not HTTP) are answered in the one error shape too, and never logged: a
 * client can make as many of these as it likes.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { type ErrorCode, ErrorTable, errorBody } from '../../protocol/errors.js';

function codeFor(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  return 'BAD_REQUEST';
}

export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // Gone already, or half a request on a connection that served others: nothing to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code = codeFor(error);
  const { status } = ErrorTable[code];
  const body = JSON.stringify(errorBody(code));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * A client's bad frames (too large: 1009, not UTF-8: 1007, torn connections) are the client's
 * doing and cost a debug line; anything else thrown on a signalling socket is ours.
 */
export function signallingSocketError(
  this: unknown,
  error: Error,
  socket: { terminate(): void },
  request: FastifyRequest,
) {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('WS_ERR_') || code === 'ECONNRESET' || code === 'EPIPE') {
    request.log.debug({ code }, 'signalling socket closed on a bad frame');
  } else {
    request.log.error({ err: error }, 'signalling handler failed');
  }
  socket.terminate();
}
