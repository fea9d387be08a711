import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__TIERLIFT_EMBEDDED_PG__;
  if (embedded) {
    await embedded.stop();
    globalThis.__TIERLIFT_EMBEDDED_PG__ = undefined;
  }
  const dir = globalThis.__TIERLIFT_EMBEDDED_PG_DIR__;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
