/**
 * A request body must arrive whole within a deadline. Node's own `requestTimeout` did not cut a
 * body trickled a byte at a time once its headers had been read (measured: a 10 000-byte body at
 * two bytes a second was still open after 50 s with a 1 s timeout), so each request with a body
 * gets its own timer: when it fires before the body is complete, the client gets 408
 * REQUEST_TIMEOUT and the connection is closed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../../protocol/errors.js';

function hasBody(request: FastifyRequest): boolean {
  const { headers } = request.raw;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

export function bodyDeadline(timeoutMs: number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!hasBody(request)) return;
    const raw = request.raw;
    const timer = setTimeout(() => {
      if (raw.complete || reply.sent) return;
      // Closes the connection once the answer is written: what is still to come of the body is not wanted.
      reply.raw.once('finish', () => raw.socket.destroy());
      void reply.code(408).header('connection', 'close').send(errorBody('REQUEST_TIMEOUT'));
    }, timeoutMs);
    timer.unref();
    raw.once('end', () => clearTimeout(timer));
    raw.once('close', () => clearTimeout(timer));
  };
}
