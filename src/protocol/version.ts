/**
 * The signalling protocol's version, sent by every client in its join (docs/protocol.md). It
 * changes only when a message changes incompatibly; the product's version is package.json's.
 */
export const PROTOCOL_VERSION = 2;
/**
 * Version 2 (2026-12): the first offer carries no ICE candidates; they follow the client's first
 * answer in a `candidates` message. Version 1 clients still get them inside the offer.
 */
