/**
 * Reads what the server sends. The SDK takes the server's messages as the protocol types say
 * they are, checking only that each is a JSON object with a `type` (an unknown type is ignored
 * where messages are handled): the server builds them from the same schemas it checks every
 * client message against, and validating them again here would put zod (about 15 KB gzip'd, half
 * of the SDK) into every page.
 */
import type { ServerMessage } from '../protocol/messages.js';

export function readServerMessage(raw: string): ServerMessage | undefined {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string')
    return undefined;
  return data as ServerMessage;
}
