export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.__TIERLIFT_EMBEDDED_PG__;
  if (embedded) {
    await embedded.stop();
    globalThis.__TIERLIFT_EMBEDDED_PG__ = undefined;
  }
}
