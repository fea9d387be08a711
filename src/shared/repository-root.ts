import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json above this file: the same answer from src/ (tsx) and from dist/src/ (build). */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
