import jwt from 'jsonwebtoken';
import type { Config } from '../config/config';
import type { AccountRepository } from '../accounts/account.repository';

export const DEMO_ACCOUNT_ID = 'acct_demo';

/** Seeds the demo account (idempotently) for local mode; never runs in production. */
export async function seedDemoAccount(accounts: AccountRepository): Promise<void> {
  if (await accounts.find(DEMO_ACCOUNT_ID)) return;
  await accounts.upsert({
    id: DEMO_ACCOUNT_ID,
    name: 'Demo Projects Ltd',
    email: 'owner@demo.tierlift.local',
    country: 'US',
    locale: 'en-US',
    // NOTE: a construction company, so the training cross-sell for new Premium customers
    // (rule training_after_premium_construction, a week after the upgrade) has its day in the demo.
    industry: 'construction',
    companySize: '11-50',
    signedUpAt: null,
  });
}

export type DemoRole = 'owner' | 'admin' | 'member';

/** A token for a person of the demo account (owner by default), signed with the local HS256 secret. */
export function demoToken(config: Config, options: { role?: DemoRole; days?: number } = {}): string | undefined {
  if (config.env === 'production' || config.jwt.algorithm !== 'HS256') return undefined;
  const role = options.role ?? 'owner';
  const days = options.days ?? 30;
  return jwt.sign({ sub: `user_demo_${role}`, account_id: DEMO_ACCOUNT_ID, role }, config.jwt.key, {
    algorithm: 'HS256',
    audience: config.jwt.audience,
    issuer: config.jwt.issuer,
    expiresIn: `${days}d`,
  });
}

/** What a developer needs after `npm start`: where the service is and a token that works. */
export function demoBanner(input: { url: string; token?: string; config: Config }): string {
  const lines = [
    '',
    '  Tierlift is running (local mode)',
    `  Base URL:          ${input.url}`,
    `  Demo account:      ${DEMO_ACCOUNT_ID}`,
  ];
  if (input.token) {
    lines.push(`  Demo owner token:  ${input.token}`);
    lines.push(`  Try:               curl -H "Authorization: Bearer <token>" ${input.url}/v1/account`);
  }
  if (input.config.apiKeys.server.startsWith('dev-')) lines.push(`  Server API key:    ${input.config.apiKeys.server}`);
  if (input.config.apiKeys.admin.startsWith('dev-')) lines.push(`  Admin API key:     ${input.config.apiKeys.admin}`);
  lines.push('');
  return lines.join('\n');
}
