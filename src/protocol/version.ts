/**
 * The signalling protocol's version, sent by every client in its join (docs/protocol.md). It
 * changes only when a message changes incompatibly; the product's version is package.json's.
 */
export const PROTOCOL_VERSION = 3;
/**
 * Version 2 (2026-12): the first offer carries no ICE candidates; they follow the client's first
 * answer in a `candidates` message. Version 1 clients still get them inside the offer.
 */
/**
 * Version 3 (2026-12): someone whose connection dropped is `participantReconnecting` to the others,
 * then `participantReconnected` when they resume (or `participantDisconnected` when their seat is
 * given up); joined lists them with `state: 'reconnecting'`. Older clients are told they left,
 * and joined again when they return.
 */
