#!/usr/bin/env node
// The `tierlift-stripe-emulator` command: a committed wrapper, so npm links the bin at install time
// even before the TypeScript sources are compiled (the CLI itself is src/main.ts → dist/main.js).
const path = require('node:path');
const fs = require('node:fs');

const main = path.join(__dirname, '..', 'dist', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write(
    `tierlift-stripe-emulator: ${main} is missing; build the package first (npm run build --workspace @tierlift/stripe-emulator)\n`,
  );
  process.exit(1);
}
require(main);
