import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { staleReason, writeBuildStamp } from '../../src/cli/build-freshness';

const INPUTS = ['src', 'package.json'];

function builtTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-build-'));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package.json', '{}');
  write('src/server.ts', 'export {};');
  write('src/billing/quote.ts', 'export const a = 1;');
  write('dist/src/server.js', '');
  fs.mkdirSync(path.join(root, 'dist/web'), { recursive: true });
  fs.mkdirSync(path.join(root, 'packages/stripe-emulator/dist'), { recursive: true });
  writeBuildStamp(root, INPUTS);
  return root;
}

describe('npm start builds only when the sources changed (issue #24)', () => {
  it('starts a tree built from its current sources without building', () => {
    expect(staleReason(builtTree(), INPUTS)).toBeNull();
  });

  it('builds when a source was edited after the build', () => {
    const root = builtTree();
    const file = path.join(root, 'src/billing/quote.ts');
    fs.writeFileSync(file, 'export const a = 2;');
    const later = new Date(fs.statSync(file).mtimeMs + 5_000);
    fs.utimesSync(file, later, later);
    expect(staleReason(root, INPUTS)).toBe('sources changed since the last build');
  });

  it('builds when a source was added or removed', () => {
    const added = builtTree();
    fs.writeFileSync(path.join(added, 'src/new-module.ts'), 'export {};');
    expect(staleReason(added, INPUTS)).toBe('sources changed since the last build');

    const removed = builtTree();
    fs.rmSync(path.join(removed, 'src/billing/quote.ts'));
    expect(staleReason(removed, INPUTS)).toBe('sources changed since the last build');
  });

  it('builds a tree never built, or one whose output is gone', () => {
    const fresh = builtTree();
    fs.rmSync(path.join(fresh, 'dist/.build-stamp.json'));
    expect(staleReason(fresh, INPUTS)).toBe('no build stamp');

    const cleaned = builtTree();
    fs.rmSync(path.join(cleaned, 'dist/src/server.js'));
    expect(staleReason(cleaned, INPUTS)).toBe('dist/src/server.js is missing');
  });

  it('ignores what is not an input: dist/ and node_modules/ under a source folder', () => {
    const root = builtTree();
    fs.mkdirSync(path.join(root, 'src/node_modules/x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/node_modules/x/index.js'), '');
    expect(staleReason(root, INPUTS)).toBeNull();
  });
});
