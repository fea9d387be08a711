import { loadConfig, type Config } from '../../src/config/config';

export const TEST_KEYS = {
  server: 'test-server-key-0123456789abcdef',
  admin: 'test-admin-key-0123456789abcdef',
  jwtSecret: 'test-jwt-secret-0123456789abcdef0123456789',
  audience: 'tierlift-test',
  issuer: 'https://auth.example.test/',
};

/** A config as a test process would load it (overrides win). */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL,
    JWT_SECRET: TEST_KEYS.jwtSecret,
    JWT_AUDIENCE: TEST_KEYS.audience,
    JWT_ISSUER: TEST_KEYS.issuer,
    SERVER_API_KEY: TEST_KEYS.server,
    ADMIN_API_KEY: TEST_KEYS.admin,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ...overrides,
  });
}
