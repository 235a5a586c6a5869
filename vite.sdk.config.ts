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
      // es2020: the bundlers Twilio's own apps use (browserify 17's acorn, react-scripts 4's webpack)
      // cannot parse es2021's `&&=` and friends in a dependency.
      target: 'es2020',
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
