import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config';

// docker/compose.yaml and docker/Dockerfile, checked without Docker (issue #19: "docker compose up
// works from the README with a .env made from .env.example"). .ci/run builds the image where a
// Docker daemon exists.
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  volumes?: string[];
  entrypoint?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(read('docker/compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const { services } = compose;
const TIERLIFT = ['migrate', 'catalog-sync', 'tierlift'];

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}`: the variables compose reads from .env. */
const referenced = (text: string) => [...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? '');
const documented = new Set(
  read('.env.example')
    .split('\n')
    .map((line) => /^([A-Z_][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined),
);

/** What `${NAME:-default}` becomes for these values (compose's interpolation, the forms used here). */
function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const value = values[name] ?? '';
    if (value !== '') return value;
    if (op === '?') throw new Error(`compose would refuse: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

describe('docker/compose.yaml', () => {
  it('reads only variables that .env.example documents', () => {
    const names = new Set(referenced(read('docker/compose.yaml')));
    expect(names.size).toBeGreaterThan(10);
    for (const name of names) expect({ name, documented: documented.has(name) }).toEqual({ name, documented: true });
  });

  it('passes the settings a deployment needs to every Tierlift container', () => {
    for (const name of TIERLIFT) {
      const environment = services[name]?.environment ?? {};
      for (const key of [
        'CORS_ALLOWED_ORIGINS',
        'PUBLIC_BASE_URL',
        'STRIPE_PUBLISHABLE_KEY',
        'CATALOG_FILE',
        'LOG_LEVEL',
      ])
        expect(Object.keys(environment)).toContain(key);
      expect(environment.DATABASE_URL).toContain('${POSTGRES_PASSWORD');
    }
  });

  it('gives a configuration the production checks accept once .env is filled in', () => {
    const secret = () => crypto.randomBytes(24).toString('base64url');
    const filled: Record<string, string> = {
      POSTGRES_PASSWORD: secret(),
      STRIPE_SECRET_KEY: `sk_live_${secret()}`,
      STRIPE_WEBHOOK_SECRET: `whsec_${secret()}`,
      JWT_SECRET: secret() + secret(),
      JWT_AUDIENCE: 'https://app.example.com',
      JWT_ISSUER: 'https://auth.example.com/',
      SERVER_API_KEY: secret(),
      ADMIN_API_KEY: secret(),
      PUBLIC_BASE_URL: 'https://billing.example.com',
      CORS_ALLOWED_ORIGINS: 'https://app.example.com',
    };
    const environment = services.tierlift?.environment ?? {};
    const env = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, interpolate(String(v), filled)]));
    const config = loadConfig(env);
    expect(config.env).toBe('production');
    // without a page of the app to return to, production refuses to start (never the API's JSON 401)
    expect(() => loadConfig({ ...env, CORS_ALLOWED_ORIGINS: '', CHECKOUT_SUCCESS_URL: '' })).toThrow(
      /CHECKOUT_SUCCESS_URL/,
    );
    expect(config.catalogFile).toBe('catalog/demo.catalog.yaml');
    // an empty required variable stops compose itself, naming it
    expect(() => interpolate(String(environment.STRIPE_SECRET_KEY), {})).toThrow('set STRIPE_SECRET_KEY');
  });

  it('mounts your catalog folder where CATALOG_FILE finds it, in every Tierlift container', () => {
    for (const name of TIERLIFT) {
      expect(services[name]?.volumes).toContain('../catalog:/app/catalog:ro');
      expect(services[name]?.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    }
    // the mount's source, relative to docker/, is the repository's catalog folder
    expect(fs.existsSync(path.join(ROOT, 'docker', '../catalog/demo.catalog.yaml'))).toBe(true);
    expect(read('docker/Dockerfile')).toMatch(/^WORKDIR \/app$/m);
  });

  it('runs migrations, then the catalog sync, then Tierlift, with compiled CLIs the build produces', () => {
    expect(services.migrate?.entrypoint).toEqual(['node', 'dist/src/cli/migrate.js']);
    expect(services.migrate?.command).toEqual(['up']);
    expect(services['catalog-sync']?.entrypoint).toEqual(['node', 'dist/src/cli/catalog-sync.js']);
    expect(services['catalog-sync']?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(services.tierlift?.depends_on?.['catalog-sync']?.condition).toBe('service_completed_successfully');

    // dist/<file>.js comes from <file>.ts through tsconfig.build.json, which the image's build runs
    const build = JSON.parse(read('tsconfig.build.json')) as { include: string[]; exclude?: string[] };
    const dockerfile = read('docker/Dockerfile');
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(read('package.json')).toContain('"build": "tsc -p tsconfig.build.json');
    const cmd = /^CMD \[(.*)\]$/m.exec(dockerfile)?.[1] ?? '';
    const entry = JSON.parse(`[${cmd}]`).find((arg: string) => arg.startsWith('dist/')) as string;
    for (const js of ['dist/src/cli/migrate.js', 'dist/src/cli/catalog-sync.js', entry]) {
      const source = js.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
      expect(build.include.some((dir) => source.startsWith(`${dir}/`))).toBe(true);
      expect((build.exclude ?? []).some((dir) => source.startsWith(`${dir}/`))).toBe(false);
      // the source copied into the build stage
      expect(dockerfile).toContain(`COPY ${source.split('/')[0]} ./${source.split('/')[0]}`);
    }
    // migrations are compiled too, and found beside dist/src at run time
    expect(build.include).toContain('migrations');
    expect(dockerfile).toContain('COPY migrations ./migrations');
  });
});
