import { Router } from 'express';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import { invoiceView, type ReadAccountInvoices } from './account-invoices.reader';
import { listInvoicesQuerySchema } from './invoices.validators';

export interface InvoiceRouteDeps {
  auth: AuthSettings;
  readInvoices: ReadAccountInvoices;
}

/** GET /v1/invoices: the caller's account's invoices with their hosted page and PDF links. */
export function buildInvoicesRouter(deps: InvoiceRouteDeps): Router {
  const router = Router();
  router.get('/v1/invoices', authenticate(deps.auth, 'user'), async (req, res) => {
    const { limit } = parseInput(listInvoicesQuerySchema, req.query, 'query');
    const { invoices, hasMore } = await deps.readInvoices(userPrincipal(req).accountId, limit ?? 24);
    res.json({ object: 'list', data: invoices.map(invoiceView), has_more: hasMore });
  });
  return router;
}
