import path from 'node:path';
import { startStripeEmulator } from './index';

const USAGE = `Usage: tierlift-stripe-emulator [--port <n>] [--state <file>] [--host <address>]
       tierlift-stripe-emulator [port] [statePath]

A stateful Stripe emulator for the official \`stripe\` SDK (see the package README).
  --port   TCP port to listen on; 0 picks a free one (default 12111)
  --state  JSON file that keeps the emulator's state across restarts (default .data/stripe-emulator.json)
  --host   address to bind (default 127.0.0.1)
`;

interface CliOptions {
  port: number;
  statePath: string;
  host: string;
}

function parseArgs(argv: string[]): CliOptions | 'help' {
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg.startsWith('--')) {
      const [flag, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? argv[(i += 1)];
      if (value === undefined) throw new Error(`--${flag} needs a value`);
      named.set(flag, value);
    } else {
      positional.push(arg);
    }
  }
  for (const flag of named.keys()) {
    if (!['port', 'state', 'host'].includes(flag)) throw new Error(`unknown option --${flag}`);
  }
  const port = Number(named.get('port') ?? positional[0] ?? 12111);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${port}`);
  return {
    port,
    statePath: path.resolve(named.get('state') ?? positional[1] ?? '.data/stripe-emulator.json'),
    host: named.get('host') ?? '127.0.0.1',
  };
}

/**
 * `tierlift-stripe-emulator` (`npx tierlift-stripe-emulator --port 0`, or `npm run stripe:emulator`
 * in Tierlift): a standalone emulator for local runs and other processes' tests. It prints the URL
 * it listens on and its secret key on stdout, logs JSON lines on stderr, and stops on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const { port, statePath, host } = options;
  const emulator = await startStripeEmulator({
    port,
    host,
    statePath,
    log: (level, message, meta) => process.stderr.write(`${JSON.stringify({ level, message, ...meta })}\n`),
  });
  process.stdout.write(`Stripe emulator on ${emulator.url} (secret key ${emulator.secretKey}, state ${statePath})\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
