import { defineConfig } from 'vite';
import packageJson from './package.json' with { type: 'json' };

/**
 * The SDK's two builds, into dist/sdk (served at /sdk/):
 *  - huddle-video.mjs, an ES module (`vite build --config vite.sdk.config.ts`)
 *  - huddle-video.js, a script defining window.Huddle.Video (`... --mode script`)
 */
export default defineConfig(({ mode }) => {
  const script = mode === 'script';
  return {
    publicDir: false,
    define: {
      __HUDDLE_VERSION__: JSON.stringify(packageJson.version),
      // A classic script has no import.meta; the SDK finds its URL from document.currentScript there.
      ...(script ? { 'import.meta.url': 'undefined' } : {}),
    },
    logLevel: 'warn',
    build: {
      outDir: 'dist/sdk',
      emptyOutDir: !script,
      sourcemap: true,
      target: 'es2022',
      lib: script
        ? {
            entry: 'src/sdk/global.ts',
            formats: ['iife'],
            name: 'HuddleVideoScript',
            fileName: () => 'huddle-video.js',
          }
        : { entry: 'src/sdk/module.ts', formats: ['es'], fileName: () => 'huddle-video.mjs' },
    },
  };
});
