import fs from 'node:fs';
import { clientTypesFile, clientTypesSource } from '../openapi/client-types';

/**
 * `npm run generate:client-types`: writes the typed client's types from the app's OpenAPI
 * document. With `--stdout` it prints them instead (the staleness test compares the two).
 */
async function main(): Promise<void> {
  const source = await clientTypesSource();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(source);
    return;
  }
  const file = clientTypesFile();
  fs.writeFileSync(file, source);
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
