import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { StoreSnapshot } from '../store';

/** Loads the persisted state, or null when the file does not exist yet. */
export function loadStateFile(statePath: string): StoreSnapshot | null {
  if (!existsSync(statePath)) return null;
  return JSON.parse(readFileSync(statePath, 'utf8')) as StoreSnapshot;
}

/** Writes atomically: a temporary file renamed over the old one, so a crash never leaves half a file. */
export function saveStateFile(statePath: string, snapshot: StoreSnapshot): void {
  mkdirSync(path.dirname(statePath), { recursive: true });
  const temporary = `${statePath}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot));
  renameSync(temporary, statePath);
}
