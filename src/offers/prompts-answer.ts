import type { Request, Response } from 'express';
import type { PromptView } from './prompt.view';

type EtagFn = (body: Buffer) => string | undefined;

/**
 * GET /v1/prompts answers by the decision they carry: a decision the engine kept and serves again
 * (the same array) is serialized, encoded and hashed for its ETag once, not on every request.
 */
const promptAnswers = new WeakMap<readonly PromptView[], { body: Buffer; etag: string | undefined }>();

function promptsAnswer(prompts: readonly PromptView[], placement: string, etagFn: EtagFn | undefined) {
  let answer = promptAnswers.get(prompts);
  if (!answer) {
    const body = Buffer.from(JSON.stringify({ object: 'list', placement, data: prompts }));
    answer = { body, etag: etagFn?.(body) };
    promptAnswers.set(prompts, answer);
  }
  return answer;
}

/** Sends GET /v1/prompts' answer (the route and the front door answer alike, 304 included). */
export function sendPrompts(req: Request, res: Response, prompts: readonly PromptView[], placement: string): void {
  const { body, etag } = promptsAnswer(prompts, placement, req.app.get('etag fn') as EtagFn | undefined);
  res.type('json');
  if (etag) res.set('ETag', etag);
  res.send(body);
}
