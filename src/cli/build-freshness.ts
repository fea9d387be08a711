import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What `npm start` compiles from: the service's and the emulator's sources, the migrations, the
 * browser assets' sources, the compiler settings and the dependency lock. A change to any of them
 * (edited, added or removed) makes the build stale.
 */
export const BUILD_INPUTS = [
  'src',
  'migrations',
  'benchmarks',
  'packages/stripe-emulator/src',
  'packages/stripe-emulator/package.json',
  'packages/stripe-emulator/tsconfig.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

export const BUILD_STAMP = 'dist/.build-stamp.json';

/** The outputs a start needs; a stamp without them is not a build. */
const BUILD_OUTPUTS = ['dist/src/server.js', 'dist/web', 'packages/stripe-emulator/dist'];

interface BuildStamp {
  /** SHA-256 over every input's path, size and modification time, in path order. */
  inputs: string;
}

function listFiles(root: string, relative: string, into: string[]): void {
  const full = path.join(root, relative);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    return;
  }
  if (stat.isFile()) {
    into.push(relative);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(full)) {
    if (name === 'node_modules' || name === 'dist') continue;
    listFiles(root, path.join(relative, name), into);
  }
}

/** A fingerprint of the build's inputs: any edit, addition or removal changes it. */
export function fingerprintInputs(root: string, inputs: readonly string[] = BUILD_INPUTS): string {
  const files: string[] = [];
  for (const input of inputs) listFiles(root, input, files);
  files.sort();
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    const stat = fs.statSync(path.join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/**
 * Why the built tree in `root` cannot be started as it is, or null when it can: no stamp (never
 * built, or built by hand before this rule), a missing output, or inputs changed since the build.
 */
export function staleReason(root: string, inputs: readonly string[] = BUILD_INPUTS): string | null {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, BUILD_STAMP), 'utf8')) as BuildStamp;
  } catch {
    return 'no build stamp';
  }
  const missing = BUILD_OUTPUTS.find((output) => !fs.existsSync(path.join(root, output)));
  if (missing) return `${missing} is missing`;
  if (stamp.inputs !== fingerprintInputs(root, inputs)) return 'sources changed since the last build';
  return null;
}

/** Records that `root` was just built from its current inputs. */
export function writeBuildStamp(root: string, inputs: readonly string[] = BUILD_INPUTS): void {
  const stamp: BuildStamp = { inputs: fingerprintInputs(root, inputs) };
  fs.mkdirSync(path.dirname(path.join(root, BUILD_STAMP)), { recursive: true });
  fs.writeFileSync(path.join(root, BUILD_STAMP), `${JSON.stringify(stamp)}\n`);
}
