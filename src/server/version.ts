/** The product's version: package.json's, the one place it is written (the SDK gets it at build time). */
import { readFileSync } from 'node:fs';

// src/server and dist/server alike sit two folders below the package root.
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const HUDDLE_VERSION = packageJson.version;
