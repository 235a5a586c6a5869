import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import packageJson from './package.json' with { type: 'json' };

// The page: src/web → dist/web, served by the Huddle server at / and /room/<name>.
export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  define: { __HUDDLE_VERSION__: JSON.stringify(packageJson.version) },
  build: { outDir: '../../dist/web', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  logLevel: 'warn',
});
