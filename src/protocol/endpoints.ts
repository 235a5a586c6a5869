/** The path of the signalling WebSocket on the HTTP server. */
export const SIGNAL_PATH = '/signal';
