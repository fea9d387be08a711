import type { DoorRoute } from '../shared/http/front-door';
import { orUndefined } from '../shared/http/front-door';
import { parseInput } from '../shared/http/validate';
import type { OffersService, PromptRequest } from './offers.service';
import { promptsQuerySchema } from './offers.validators';
import { sendPrompts } from './prompts-answer';

/**
 * GET /v1/prompts at the front door (shared/http/front-door.ts): exactly that path with a valid
 * query. A decision kept in memory is answered at once, without waiting on anything; otherwise the
 * route's own call decides. `offers` is asked through the instance on every request (metrics wrap
 * its methods after the app is built).
 */
export function promptsDoor(offers: Pick<OffersService, 'keptPrompts' | 'promptsFor'>): DoorRoute<PromptRequest> {
  return {
    label: '/v1/prompts',
    // NOTE: exactly the path: the router's looser matches (a trailing slash, other case) go down the chain.
    take: (path, req, principal) =>
      path === '/v1/prompts'
        ? orUndefined(() => ({
            accountId: principal.accountId,
            role: principal.role,
            ...parseInput(promptsQuerySchema, req.query, 'query'),
          }))
        : undefined,
    answer: (req, res, request) => {
      const kept = offers.keptPrompts(request);
      if (kept) return sendPrompts(req, res, kept, request.placement);
      return offers.promptsFor(request).then((prompts) => sendPrompts(req, res, prompts, request.placement));
    },
  };
}
