import { Router } from 'express';
import { notFound } from '../shared/errors';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import type { AccountEntity } from './account.entity';
import type { AccountRepository } from './account.repository';
import { accountView } from './account.view';
import { accountParamsSchema, adminAccountParamsSchema, upsertAccountSchema } from './accounts.validators';
import { upsertAccount, type AccountHooks } from './upsert-account';

/** Adds a section (subscription, add-ons, refunds …) to the account view; supplied by other modules. */
export type AccountSection = (account: AccountEntity) => Promise<Record<string, unknown>>;

export interface AccountsRouteDeps {
  auth: AuthSettings;
  accounts: AccountRepository;
  hooks?: AccountHooks;
  sections: AccountSection[];
}

export function buildAccountsRouter(deps: AccountsRouteDeps): Router {
  const router = Router();

  const fullView = async (account: AccountEntity) => {
    const parts = await Promise.all(deps.sections.map((section) => section(account)));
    return Object.assign(accountView(account), ...parts) as Record<string, unknown>;
  };

  router.put('/v1/accounts/:account_id', authenticate(deps.auth, 'server'), async (req, res) => {
    const { account_id } = parseInput(accountParamsSchema, req.params, 'params');
    const input = parseInput(upsertAccountSchema, req.body, 'body');
    const { account, created } = await upsertAccount(deps, account_id, input);
    res.status(created ? 201 : 200).json(await fullView(account));
  });

  router.get('/v1/account', authenticate(deps.auth, 'user'), async (req, res) => {
    const principal = userPrincipal(req);
    const account = await deps.accounts.find(principal.accountId);
    if (!account) throw notFound('Account');
    res.json(await fullView(account));
  });

  router.get('/admin/v1/accounts/:id', authenticate(deps.auth, 'admin'), async (req, res) => {
    const { id } = parseInput(adminAccountParamsSchema, req.params, 'params');
    const account = await deps.accounts.find(id);
    if (!account) throw notFound('Account', 'id');
    res.json(await fullView(account));
  });

  return router;
}
