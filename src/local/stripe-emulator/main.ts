import path from 'node:path';
import { startStripeEmulator } from './index';

/**
 * `npm run stripe:emulator [port] [statePath]`: a standalone emulator (default port 12111,
 * state in .data/stripe-emulator.json) for local runs and other processes' tests.
 */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 12111);
  const statePath = path.resolve(process.argv[3] ?? '.data/stripe-emulator.json');
  const emulator = await startStripeEmulator({
    port,
    statePath,
    log: (level, message, meta) => process.stderr.write(`${JSON.stringify({ level, message, ...meta })}\n`),
  });
  process.stdout.write(`Stripe emulator on ${emulator.url} (secret key ${emulator.secretKey}, state ${statePath})\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
