import { execFileSync } from 'node:child_process';
import { repositoryRoot } from '../shared/repository-root';
import { staleReason, writeBuildStamp } from './build-freshness';

/**
 * `npm start`'s first step: builds only when the sources changed since the last build (issue #24:
 * a start on a built tree used to recompile everything, 25–86 s). `--stamp` only records the
 * current inputs (run by `postbuild`, so a manual `npm run build` counts too).
 */
function main(): void {
  const root = repositoryRoot();
  if (process.argv.includes('--stamp')) {
    writeBuildStamp(root);
    return;
  }
  const reason = staleReason(root);
  if (reason === null) {
    console.log('build is up to date: starting the built files');
    return;
  }
  console.log(`building (${reason})`);
  // NOTE: `npm run build` ends with `postbuild`, which writes the stamp.
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}

main();
