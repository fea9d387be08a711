import { Router } from 'express';
import { auditBefore } from '../shared/http/audit-context';
import { notFound } from '../shared/errors';
import { authenticate, userPrincipal, type AuthSettings } from '../shared/http/authenticate';
import { parseInput } from '../shared/http/validate';
import { previewRuleCopy, putRuleCopy, resetRuleCopy, ruleCopyView } from './manage-offer-copy';
import { createOfferRule, deleteOfferRule, putOfferRule, type ManageRulesDeps } from './manage-offer-rules';
import type { OffersService } from './offers.service';
import { sendPrompts } from './prompts-answer';
import {
  PROMPT_ID,
  promptEventBodySchema,
  promptEventParamsSchema,
  promptsQuerySchema,
  ruleParamsSchema,
  localeCopySchema,
  ruleLocaleParamsSchema,
  copyPreviewBodySchema,
} from './offers.validators';

export interface OffersRouteDeps {
  auth: AuthSettings;
  offers: OffersService;
}

/** GET /v1/prompts and POST /v1/prompts/{id}/events for end users; /admin/v1/offers for operators. */
export function buildOffersRouter(deps: OffersRouteDeps): Router {
  const router = Router();
  const { offers } = deps;
  const admin = authenticate(deps.auth, 'admin');
  const manage: ManageRulesDeps = {
    rules: offers.rules,
    repository: offers.rulesRepository,
    catalog: offers.catalog,
    copyKeys: offers.copyKeys,
  };

  router.get('/v1/prompts', authenticate(deps.auth, 'user'), async (req, res) => {
    const query = parseInput(promptsQuerySchema, req.query, 'query');
    const principal = userPrincipal(req);
    const prompts = await offers.promptsFor({ accountId: principal.accountId, role: principal.role, ...query });
    sendPrompts(req, res, prompts, query.placement);
  });

  router.post('/v1/prompts/:id/events', authenticate(deps.auth, 'user'), async (req, res) => {
    const { id } = parseInput(promptEventParamsSchema, req.params, 'params');
    const { type, reason, reason_text } = parseInput(promptEventBodySchema, req.body, 'body');
    if (!PROMPT_ID.test(id)) throw notFound('Prompt', 'id');
    const decline = { reason, reasonText: reason_text };
    const outcome = await offers.recordEvent(userPrincipal(req).accountId, id, type, decline);
    res.json({ object: 'prompt_event', prompt_id: id, type, recorded: outcome === 'recorded' });
  });

  router.get('/admin/v1/offers', admin, async (_req, res) => {
    const rules = await offers.rules.current();
    const { rules: data, ...settings } = rules;
    res.json({ object: 'list', data, settings });
  });

  router.get('/admin/v1/offers/:id', admin, async (req, res) => {
    const { id } = parseInput(ruleParamsSchema, req.params, 'params');
    const rule = (await offers.rules.current()).rules.find((r) => r.id === id);
    if (!rule) throw notFound('Offer rule', 'id');
    res.json(rule);
  });

  router.post('/admin/v1/offers', admin, async (req, res) => {
    res.status(201).json(await createOfferRule(manage, req.body));
  });

  router.put('/admin/v1/offers/:id', admin, async (req, res) => {
    const { id } = parseInput(ruleParamsSchema, req.params, 'params');
    auditBefore(res, (await offers.rules.current()).rules.find((r) => r.id === id) ?? null);
    const { rule, created } = await putOfferRule(manage, id, req.body);
    res.status(created ? 201 : 200).json(rule);
  });

  router.delete('/admin/v1/offers/:id', admin, async (req, res) => {
    const { id } = parseInput(ruleParamsSchema, req.params, 'params');
    auditBefore(res, (await offers.rules.current()).rules.find((r) => r.id === id) ?? null);
    await deleteOfferRule(manage, id);
    res.status(204).end();
  });

  router.get('/admin/v1/offers/:id/copy', admin, async (req, res) => {
    const { id } = parseInput(ruleParamsSchema, req.params, 'params');
    if (!(await offers.rules.current()).rules.some((r) => r.id === id)) throw notFound('Offer rule', 'id');
    res.json({ ...ruleCopyView(offers, id), locales: offers.copyLocales });
  });

  router.put('/admin/v1/offers/:id/copy/:locale', admin, async (req, res) => {
    const { id, locale } = parseInput(ruleLocaleParamsSchema, req.params, 'params');
    const copy = parseInput(localeCopySchema, req.body, 'body');
    auditBefore(res, ruleCopyView(offers, id));
    res.json(await putRuleCopy(offers, id, locale, copy));
  });

  router.delete('/admin/v1/offers/:id/copy/:locale', admin, async (req, res) => {
    const { id, locale } = parseInput(ruleLocaleParamsSchema, req.params, 'params');
    auditBefore(res, ruleCopyView(offers, id));
    res.json(await resetRuleCopy(offers, id, locale));
  });

  router.post('/admin/v1/offers/:id/preview', admin, async (req, res) => {
    const { id } = parseInput(ruleParamsSchema, req.params, 'params');
    const { locale, copy } = parseInput(copyPreviewBodySchema, req.body, 'body');
    res.json(await previewRuleCopy(offers, id, locale, copy));
  });

  return router;
}
