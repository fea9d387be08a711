import { canonicalJson, verifySnapshot, type EntitlementSnapshot } from '@tierlift/node-client';
import { canonicalJson as serverCanonicalJson, signSnapshot } from '../../src/usage/entitlement-snapshot';

const snapshot: EntitlementSnapshot = {
  object: 'entitlement_snapshot',
  account_id: 'acct_1',
  plan: 'pro',
  issued_at: '2030-01-10T00:00:00.000Z',
  valid_until: '2030-02-01T00:00:00.000Z',
  entitlements: [
    {
      feature: 'api_calls',
      type: 'metered',
      kind: 'counter',
      limit: 1000,
      used: 12.5,
      remaining: 987.5,
      percent: 1.3,
      period_start: '2030-01-01T00:00:00.000Z',
      period_end: '2030-02-01T00:00:00.000Z',
    },
    { feature: 'sso', type: 'boolean', enabled: false },
  ],
};

describe('snapshot signatures', () => {
  it('the client verifies what the service signs, after a JSON round trip', () => {
    const signature = signSnapshot(snapshot, 'sk_server');
    const received = JSON.parse(JSON.stringify(snapshot)) as EntitlementSnapshot;
    expect(verifySnapshot(received, signature, 'sk_server')).toBe(true);
  });

  it('refuses a changed snapshot, another key, or a truncated signature', () => {
    const signature = signSnapshot(snapshot, 'sk_server');
    expect(verifySnapshot({ ...snapshot, plan: 'premium' }, signature, 'sk_server')).toBe(false);
    expect(verifySnapshot(snapshot, signature, 'sk_other')).toBe(false);
    expect(verifySnapshot(snapshot, signature.slice(0, 10), 'sk_server')).toBe(false);
  });

  it('canonical JSON ignores key order and agrees between service and client', () => {
    const a = { b: [1, { z: null, y: 'é' }], a: true };
    const b = { a: true, b: [1, { y: 'é', z: null }] };
    expect(canonicalJson(a)).toBe('{"a":true,"b":[1,{"y":"é","z":null}]}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(serverCanonicalJson(a)).toBe(canonicalJson(a));
  });
});
