/**
 * The signalling protocol's version, sent by every client in its join (docs/protocol.md). It
 * changes only when a message changes incompatibly; the product's version is package.json's.
 */
export const PROTOCOL_VERSION = 1;
