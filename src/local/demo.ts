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
    industry: 'software',
    companySize: '11-50',
    signedUpAt: null,
  });
}

/** An owner token for the demo account, signed with the local HS256 secret. */
export function demoToken(config: Config, days = 30): string | undefined {
  if (config.env === 'production' || config.jwt.algorithm !== 'HS256') return undefined;
  return jwt.sign({ sub: 'user_demo_owner', account_id: DEMO_ACCOUNT_ID, role: 'owner' }, config.jwt.key, {
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
