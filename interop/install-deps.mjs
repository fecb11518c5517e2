// Installs the npm packages of a Node project in this repository (interop/ unless a directory is
// given) when its node_modules does not hold exactly what package-lock.json names. Maven runs it
// before the interop tests of converge-core and converge-server, and .ci/run for every project,
// so that `mvn verify` alone works from a fresh clone and an up-to-date install costs nothing.
//
// "Matches" means: the last install this script made succeeded with a package-lock.json of the
// same SHA-256, recorded in node_modules/.converge-lock-sha256 (npm keeps no such record itself).
//
// npm ci first. cbor-x (under automerge-repo) lists native accelerators as optional platform
// packages that the registry reachable here does not serve, so npm cannot record them and npm ci
// may call the lockfile out of sync; cbor-x runs without them, and npm install --no-save still
// takes every version from the lockfile and changes no file of the repository.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)));
const lockFile = join(dir, 'package-lock.json');
if (!existsSync(lockFile)) {
  console.error(`${dir} has package.json but no package-lock.json: commit the lockfile`);
  process.exit(1);
}
const wanted = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
const stamp = join(dir, 'node_modules', '.converge-lock-sha256');
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) {
  console.log(`npm packages of ${dir} match package-lock.json`);
  process.exit(0);
}

function npm(args) {
  console.log(`npm ${args.join(' ')} in ${dir}`);
  const run = spawnSync('npm', args, { cwd: dir, stdio: 'inherit' });
  if (run.error) {
    console.error(`cannot run npm (is it on the PATH?): ${run.error.message}`);
    process.exit(1);
  }
  return run.status === 0;
}

if (!npm(['ci', '--no-audit', '--no-fund'])) {
  console.log('npm ci refused the lockfile; installing the locked versions with npm install');
  if (!npm(['install', '--no-audit', '--no-fund', '--no-save'])) {
    process.exit(1);
  }
}
writeFileSync(stamp, `${wanted}\n`);
