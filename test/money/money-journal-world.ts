import crypto from 'node:crypto';
import request from 'supertest';
import { DAY } from '../billing/support/billing-harness';
import type { Stripe } from '../../src/stripe/stripe-client';
import { adminAuth } from '../support/tokens';
import { laneNeverShared, moneyMoved, moneySnapshot } from './money-journal-invariants';
import type { JournalAction, JournalStep, Other } from './money-journal-steps';
import type { Fault } from './money-steps';
import { arm, webhooksSettled, type ModelAccount, type World } from './money-world';
import { applyQuote, quoteBody } from './money-world-steps';

/**
 * How the journal steps of money-journal-steps.ts are carried out, and the invariants only a step
 * can see (what moved while it ran, who held the lane), pushed to `w.observed`.
 */

export type Answer = { status: number; body: Record<string, unknown> };

export const brief = (a: Answer): string => {
  const body = a.body as { status?: string; error?: { code?: string }; object?: string };
  return `${a.status} ${body.error?.code ?? body.status ?? body.object ?? ''}`.trim();
};

const query = <T>(w: World, sql: string, params: unknown[] = []): Promise<T[]> => w.h.db.dataSource.query(sql, params);

/** One minor-unit step of credit: 1.00 USD, 100 JPY, 0.100 KWD. */
const UNIT = 100;

/** The live subscription the operator would see (trialing, active or past_due), if any. */
async function liveSubscription(w: World, account: ModelAccount): Promise<Stripe.Subscription | undefined> {
  const { data } = await w.h.stripe.subscriptions.list({ customer: account.customerId, limit: 10 });
  return data.find((sub) => ['trialing', 'active', 'past_due'].includes(sub.status));
}

/**
 * What the action sends: path, body and (for the customer's own card update) its auth. A credit
 * carries its Idempotency-Key in its reason, which Stripe keeps as the balance transaction's
 * description: that is how the invariant counts Stripe's credits per key.
 */
export async function actionRequest(
  w: World,
  account: ModelAccount,
  action: JournalAction,
  key: string,
): Promise<{ path: string; body: object; auth: string } | string> {
  const base = `/admin/v1/customers/${account.accountId}`;
  switch (action.kind) {
    case 'credit': {
      const reason = `model credit ${key}`;
      w.credits.set(reason, { account: account.name, amount: action.units * UNIT, answers: [] });
      return {
        path: `${base}/credits`,
        body: { amount: action.units * UNIT, currency: account.currency, reason },
        auth: adminAuth,
      };
    }
    case 'send_invoice': {
      const { data } = await w.h.stripe.invoices.list({ customer: account.customerId, limit: 100 });
      const finalized = data.filter((invoice) => invoice.status !== 'draft').sort((a, b) => a.created - b.created);
      const invoice = finalized[action.invoice % Math.max(finalized.length, 1)];
      if (!invoice?.id) return 'nothing to send (no invoice)';
      return { path: `${base}/invoices/${invoice.id}/send`, body: {}, auth: adminAuth };
    }
    case 'extend_trial': {
      // NOTE: past the current trial end by `days`; without a trial, from now (the refusal is then checked too).
      const live = await liveSubscription(w, account);
      const from = live?.status === 'trialing' && live.trial_end ? live.trial_end : w.now;
      const trialEnd = new Date((from + action.days * DAY) * 1000).toISOString();
      return { path: `${base}/trial`, body: { trial_end: trialEnd }, auth: adminAuth };
    }
    case 'payment_method':
      return { path: '/v1/payment-method/sessions', body: {}, auth: account.auth };
  }
}

export async function post(w: World, path: string, body: object, auth: string, key: string): Promise<Answer> {
  return request(w.h.app).post(path).set('Authorization', auth).set('Idempotency-Key', key).send(body);
}

export const asksForRetry = (a: Answer) =>
  a.status >= 500 || (a.status === 409 && String((a.body.error as { code?: string })?.code).endsWith('_in_progress'));

/**
 * The action under one Idempotency-Key; with `retry`, a 5xx or "in progress" answer is retried under
 * the same key at once, and again after the janitor (which finishes what Stripe's lost answer left).
 */
async function runAction(
  w: World,
  account: ModelAccount,
  action: JournalAction,
  options: { fault?: Fault; retry?: boolean } = {},
): Promise<string> {
  const key = `model-${action.kind}-${(w.keys += 1)}`;
  const sent = await actionRequest(w, account, action, key);
  if (typeof sent === 'string') return sent;
  if (options.fault) await arm(w, options.fault);
  const answers = [await post(w, sent.path, sent.body, sent.auth, key)];
  await w.h.emulator.control.clearFaults();
  if (options.retry && asksForRetry(answers[0] as Answer)) {
    answers.push(await post(w, sent.path, sent.body, sent.auth, key));
    if (asksForRetry(answers[1] as Answer)) {
      await w.h.billing.finishInterruptedOperations();
      answers.push(await post(w, sent.path, sent.body, sent.auth, key));
    }
  }
  if (action.kind === 'credit') {
    const asked = w.credits.get((sent.body as { reason: string }).reason);
    for (const a of answers) asked?.answers.push(brief(a));
  }
  const last = answers.at(-1) as Answer;
  if (action.kind === 'payment_method' && action.card && last.status === 201)
    return `${answers.map(brief).join(' → retried → ')}; ${await setupPaid(w, account, action.card)}`;
  if (action.kind === 'extend_trial' && last.status === 200) await checkTrialMoved(w, account, sent.body, last);
  return answers.map(brief).join(' → retried → ');
}

/** extend_trial answered 200: Stripe's trial ends where the operator asked, and the answer says so. */
async function checkTrialMoved(w: World, account: ModelAccount, body: object, answer: Answer): Promise<void> {
  const wanted = Date.parse((body as { trial_end: string }).trial_end) / 1000;
  const live = await liveSubscription(w, account);
  if (live?.trial_end !== wanted || answer.body.trial_end !== new Date(wanted * 1000).toISOString())
    w.observed.push({
      invariant: 'trial_first_charge',
      account: account.name,
      detail: `trial extended to ${new Date(wanted * 1000).toISOString()}: answered ${String(answer.body.trial_end)}, Stripe's trial_end ${live?.trial_end ?? 'none'} (${live?.status ?? 'no live subscription'})`,
    });
}

async function runOther(w: World, account: ModelAccount, other: Other, quoteId: string | undefined): Promise<string> {
  switch (other.kind) {
    case 'change':
      return quoteId ? brief(await applyQuote(w, account, quoteId)) : 'quote refused';
    case 'refund': {
      const purchases = await query<{ id: string }>(
        w,
        'SELECT id FROM purchases WHERE account_id = $1 ORDER BY paid_at, created_at, id',
        [account.accountId],
      );
      const purchase = purchases[other.purchase % Math.max(purchases.length, 1)];
      if (!purchase) return 'no purchase';
      return brief(
        await post(
          w,
          '/v1/refunds',
          { purchase_id: purchase.id, reason: 'model-based test' },
          account.auth,
          crypto.randomUUID(),
        ),
      );
    }
    case 'credit':
      return runAction(w, account, { kind: 'credit', units: 1 });
    case 'payment_method':
      return runAction(w, account, { kind: 'payment_method' });
  }
}

/** The open card-update Checkout paid on its hosted page; once its webhooks settle, the card is the default. */
async function setupPaid(w: World, account: ModelAccount, card: string, fault?: Fault): Promise<string> {
  const [op] = await query<{ id: string; url: string }>(
    w,
    `SELECT id, result->>'checkout_url' AS url FROM billing_operations
     WHERE account_id = $1 AND kind = 'payment_method' AND state = 'awaiting_customer' ORDER BY created_at DESC LIMIT 1`,
    [account.accountId],
  );
  if (!op?.url) return 'no open Checkout for a card';
  // NOTE: the completion runs in the webhook worker, within the settling below, under the fault.
  if (fault) await arm(w, fault);
  const paid = await fetch(`${op.url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `card=${card}`,
    redirect: 'manual',
  });
  // NOTE: under a fault an event may fail: no grace for its retry, it is replayed at once below.
  await webhooksSettled(w, 20_000, fault ? 0 : 4_000);
  if (fault) await retryFailedEvents(w);
  const [done] = await query<{ state: string; pm: string | null }>(
    w,
    `SELECT state, result->>'payment_method' AS pm FROM billing_operations WHERE id = $1`,
    [op.id],
  );
  if (done?.state === 'completed' && done.pm) {
    const customer = (await w.h.stripe.customers.retrieve(account.customerId)) as Stripe.Customer;
    const live = await liveSubscription(w, account);
    const seen = [
      String(customer.invoice_settings.default_payment_method),
      ...(live ? [String(live.default_payment_method)] : []),
    ];
    if (seen.some((pm) => pm !== done.pm))
      w.observed.push({
        invariant: 'card_set_once',
        account: account.name,
        detail: `card update ${op.id} completed with ${done.pm}; Stripe's defaults: customer ${seen[0]}${live ? `, ${live.id} ${seen[1]}` : ''}`,
      });
  }
  return `Checkout page ${paid.status}, operation ${done?.state ?? '?'}`;
}

/**
 * An event whose handling met the outage failed and waits for the worker's retry (with backoff):
 * that retry, brought forward once the outage is over, as an operator's replay.
 */
async function retryFailedEvents(w: World): Promise<void> {
  await w.h.emulator.control.clearFaults();
  const failed = await query<{ id: string }>(w, `SELECT id FROM webhook_events WHERE status = 'failed'`);
  for (const { id } of failed)
    await request(w.h.app).post(`/admin/v1/webhook-events/${id}/replay`).set('Authorization', adminAuth).send({});
  await webhooksSettled(w);
}

async function replay(w: World, account: ModelAccount, n: number): Promise<string> {
  const events = await query<{ id: string; type: string }>(
    w,
    `SELECT id, type FROM webhook_events WHERE status = 'processed' AND payload::text LIKE $1
     ORDER BY received_at DESC, id DESC LIMIT 10`,
    [`%${account.customerId}%`],
  );
  const event = events[n % Math.max(events.length, 1)];
  if (!event) return 'nothing to replay';
  const replayed = await request(w.h.app)
    .post(`/admin/v1/webhook-events/${event.id}/replay`)
    .set('Authorization', adminAuth)
    .send({});
  await webhooksSettled(w);
  return `${event.type} → ${replayed.status}`;
}

/** Runs one journal step, checking what only the step can see. */
export async function executeJournal(w: World, step: JournalStep): Promise<string> {
  const account = w.accounts[step.account % w.accounts.length] as ModelAccount;
  const before = await moneySnapshot(w, account);
  const [{ now: started, held } = { now: new Date(), held: [] }] = await query<{ now: Date; held: string[] }>(
    w,
    'SELECT clock_timestamp() AS now, array(SELECT holder_id FROM billing_lanes WHERE account_id = $1) AS held',
    [account.accountId],
  );
  let answer: string;
  // NOTE: a credit moves the customer balance (counted per key by credit_once_per_key), never a charge.
  let moves: 'nothing' | 'balance' | 'anything' = 'nothing';
  switch (step.op) {
    case 'journal':
      answer = await runAction(w, account, step.action, { fault: step.fault, retry: step.retry === 'same_key' });
      if (step.action.kind === 'credit') moves = 'balance';
      break;
    case 'alongside': {
      const quoted =
        step.other.kind === 'change'
          ? await request(w.h.app)
              .post('/v1/quotes')
              .set('Authorization', account.auth)
              .send(quoteBody(step.other.target))
          : undefined;
      const quoteId = quoted?.status === 201 ? (quoted.body.id as string) : undefined;
      const [a, b] = await Promise.all([runAction(w, account, step.action), runOther(w, account, step.other, quoteId)]);
      await laneNeverShared(w, account, started, held);
      answer = `${a} ‖ ${b}`;
      moves = 'anything';
      break;
    }
    case 'setup_paid':
      answer = await setupPaid(w, account, step.card, step.fault);
      break;
    case 'replay':
      answer = await replay(w, account, step.event);
      break;
  }
  if (moves !== 'anything') {
    const moved = moneyMoved(before, await moneySnapshot(w, account), moves === 'balance');
    if (moved) w.observed.push({ invariant: 'no_money_moved', account: account.name, detail: `${step.op}: ${moved}` });
  }
  return answer;
}
