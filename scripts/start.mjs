#!/usr/bin/env node
/** `npm start`: builds when a source changed since the last build, then runs the server in this process. */
import { buildIfStale } from './build-if-stale.mjs';

try {
  buildIfStale();
} catch (error) {
  process.stderr.write(`Huddle cannot start: ${error.message}\n`);
  process.exit(1);
}
await import('../dist/server/main.js');
