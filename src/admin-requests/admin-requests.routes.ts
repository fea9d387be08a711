import { Router } from 'express';
import { forbidden } from '../shared/errors';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { canManageBilling } from '../shared/http/principal';
import { parseInput } from '../shared/http/validate';
import { adminRequestView, type AdminRequests } from './admin-requests';
import { createAdminRequestSchema, listAdminRequestsQuerySchema } from './admin-requests.validators';

export interface AdminRequestRouteDeps {
  auth: AuthSettings;
  requests: AdminRequests;
}

/** "Ask your admin": anyone of the account may ask; its owner and admins read the requests. */
export function buildAdminRequestsRouter(deps: AdminRequestRouteDeps): Router {
  const router = Router();
  const user = authenticate(deps.auth, 'user');

  router.post('/v1/admin-requests', user, async (req, res) => {
    const input = parseInput(createAdminRequestSchema, req.body, 'body');
    const created = await deps.requests.create(userPrincipal(req), input);
    res.status(201).json(adminRequestView(created));
  });

  router.get('/v1/admin-requests', user, async (req, res) => {
    const { limit } = parseInput(listAdminRequestsQuerySchema, req.query, 'query');
    const principal = userPrincipal(req);
    if (!canManageBilling(principal))
      throw forbidden('Only the owner or an admin of the account reads its requests.', 'insufficient_role');
    const rows = await deps.requests.list(principal.accountId, limit);
    res.json({ object: 'list', data: rows.map(adminRequestView) });
  });

  return router;
}
