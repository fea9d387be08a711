import fs from 'node:fs';
import { buildWeb } from '../../../src/web/build-web';
import { CHROMIUM } from './browser-harness';

/** The pages under test are the built assets the service serves: build them once per run. */
export default async function browserGlobalSetup(): Promise<void> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`,
    );
  await buildWeb();
}
