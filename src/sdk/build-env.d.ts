/** Set by Vite at build time (vite.config.ts, vite.sdk.config.ts): package.json's version. */
declare const __HUDDLE_VERSION__: string;
