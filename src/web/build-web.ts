import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { repositoryRoot } from '../shared/repository-root';

/**
 * Builds the browser assets the service serves under /assets: the prompt widget, the demo page
 * and the operator dashboard. Sources live in src/web/browser/<part>/; the output is dist/web/.
 * Each part is bundled from its entry file (when present) and its .html/.css files are copied.
 */
const ROOT = repositoryRoot();
const SOURCES = path.join(ROOT, 'src/web/browser');
export const WEB_OUTPUT = path.join(ROOT, 'dist/web');

const ENTRIES: Array<{ part: string; entry: string; out: string }> = [
  { part: 'widget', entry: 'tierlift-prompt.ts', out: 'tierlift-prompt.js' },
  { part: 'demo', entry: 'demo.ts', out: 'demo.js' },
  { part: 'admin', entry: 'admin.ts', out: 'admin.js' },
];

export async function buildWeb(outDir = WEB_OUTPUT): Promise<string[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const { part, entry, out } of ENTRIES) {
    const source = path.join(SOURCES, part, entry);
    if (fs.existsSync(source)) {
      await build({
        entryPoints: [source],
        outfile: path.join(outDir, out),
        bundle: true,
        format: 'iife',
        target: ['es2020'],
        platform: 'browser',
        minify: true,
        sourcemap: true,
        legalComments: 'linked',
        logLevel: 'warning',
      });
      written.push(out);
    }
    const folder = path.join(SOURCES, part);
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder)) {
      if (!/\.(html|css|svg)$/.test(file)) continue;
      fs.copyFileSync(path.join(folder, file), path.join(outDir, file));
      written.push(file);
    }
  }
  return written;
}

if (require.main === module) {
  buildWeb()
    .then((files) => process.stdout.write(`built ${files.length} web assets into ${WEB_OUTPUT}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
