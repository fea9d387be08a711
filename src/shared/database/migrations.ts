import fs from 'node:fs';
import path from 'node:path';

type MigrationClass = new () => unknown;

/**
 * Every migration class in migrations/, in file-name (timestamp) order. Loaded by
 * reading the folder so that ts-jest (TypeScript sources) and the build (JavaScript)
 * find the same list without a hand-kept index.
 */
export function loadMigrations(): MigrationClass[] {
  const dir = path.resolve(__dirname, '../../../migrations');
  const extension = __filename.endsWith('.ts') ? '.ts' : '.js';
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(extension) && !f.endsWith('.d.ts') && /^\d+-/.test(f))
    .sort();
  return files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, file)) as Record<string, unknown>;
    const cls = Object.values(mod).find((v): v is MigrationClass => typeof v === 'function');
    if (!cls) throw new Error(`migrations/${file} exports no migration class`);
    return cls;
  });
}
