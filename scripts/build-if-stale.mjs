#!/usr/bin/env node
/**
 * Builds (npm run build) only when an input of the build changed since the last one: `npm start`
 * and `npm test` then skip the ~30 s build when nothing changed. The fingerprint is every input
 * file's path, size and modification time, kept in dist/.build-inputs. Plain JavaScript, since it
 * runs before anything is compiled. Exported for scripts/start.mjs; run directly, it just builds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INPUT_FOLDERS = ['src'];
const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'tsconfig.server.json',
  'vite.config.ts',
  'vite.sdk.config.ts',
];
const STAMP = join(ROOT, 'dist', '.build-inputs');

function* filesUnder(folder) {
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

function fingerprint() {
  const hash = createHash('sha256');
  const files = [
    ...INPUT_FOLDERS.flatMap((f) => [...filesUnder(f)]),
    ...INPUT_FILES.filter((f) => existsSync(join(ROOT, f))),
  ];
  for (const file of files.sort()) {
    const { size, mtimeMs } = statSync(join(ROOT, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** True when it built; throws when the build fails. */
export function buildIfStale() {
  const wanted = fingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return false;
  process.stderr.write('Building Huddle (the page, the SDK and the server); later starts skip this.\n');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build failed (exit ${build.status ?? build.signal})`);
  writeFileSync(STAMP, wanted);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildIfStale();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
