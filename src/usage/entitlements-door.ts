import { notFound } from '../shared/errors';
import { orUndefined, type DoorRoute } from '../shared/http/front-door';
import { parseInput } from '../shared/http/validate';
import { entitlementCheckView } from './entitlement.view';
import type { UsageService } from './usage.service';
import { entitlementParamsSchema, entitlementQuerySchema } from './usage.validators';

const PREFIX = '/v1/entitlements/';
/** The routes beside `/v1/entitlements/:feature` that a feature's name would otherwise shadow. */
const NOT_FEATURES = new Set(['snapshot', 'stream']);

interface Check {
  accountId: string;
  feature: string;
  quantity: number;
}

/**
 * GET /v1/entitlements/{feature} at the front door (shared/http/front-door.ts): the check the SaaS
 * makes in its own request path, answered as the route answers it (usage.routes.ts), from the
 * entitlement cache when it holds the account. A path or parameter the route would refuse, decode
 * otherwise or hand to another route goes down the chain.
 */
export function entitlementsDoor(usage: Pick<UsageService, 'check'>): DoorRoute<Check> {
  return {
    label: '/v1/entitlements/:feature',
    take: (path, req, principal) => {
      if (!path.startsWith(PREFIX)) return undefined;
      const raw = path.slice(PREFIX.length);
      if (raw.includes('/') || NOT_FEATURES.has(raw)) return undefined;
      return orUndefined(() => ({
        accountId: principal.accountId,
        feature: parseInput(entitlementParamsSchema, { feature: decodeURIComponent(raw) }, 'params').feature,
        quantity: parseInput(entitlementQuerySchema, req.query, 'query').quantity ?? 1,
      }));
    },
    answer: async (_req, res, { accountId, feature, quantity }) => {
      const check = await usage.check(accountId, feature, quantity);
      if (!check) throw notFound('Account');
      res.json(entitlementCheckView(check));
    },
  };
}
