import crypto from 'node:crypto';
import request from 'supertest';
import { change, quote, useCard } from '../billing/support/billing-harness';
import type { Stripe } from '../../src/stripe/stripe-client';
import { executeCrash } from './money-crash-world';
import { executeJournal } from './money-journal-world';
import type { Card, Step, Target } from './money-steps';
import { advanceWorld, arm, payCheckoutPage, type ModelAccount, type World } from './money-world';

/** How each step of money-steps.ts is carried out on a world (the journal kinds: money-journal-world.ts). */

const query = <T>(w: World, sql: string, params: unknown[] = []): Promise<T[]> => w.h.db.dataSource.query(sql, params);

export function quoteBody(t: Target): object {
  switch (t.kind) {
    case 'plan':
      return { plan: t.plan };
    case 'interval':
      return { interval: t.interval };
    case 'seats':
      return { add_ons: [{ code: 'extra_seats', quantity: t.quantity }] };
    case 'support':
      return { add_ons: [{ code: 'priority_support', quantity: t.quantity }] };
    case 'training':
      return {
        add_ons: [
          { code: 'seo_setup', quantity: 1 },
          ...(t.pair ? [{ code: 'training_construction', quantity: 1 }] : []),
        ],
      };
    case 'bundle':
      return { bundle: t.code };
    case 'free':
      return { plan: 'free' };
  }
}

type Answer = { status: number; body: Record<string, unknown> };
const brief = (answer: Answer): string => {
  const body = answer.body as { status?: string; amount_charged?: number; error?: { code?: string } };
  const detail = body.error?.code ?? body.status ?? '';
  return `${answer.status}${detail ? ` ${detail}` : ''}${body.amount_charged !== undefined ? ` charged ${body.amount_charged}` : ''}`;
};

async function quoteFor(w: World, account: ModelAccount, t: Target): Promise<Answer> {
  return quote(w.h, account.auth, quoteBody(t));
}

/**
 * POST /v1/changes, remembering a definite refusal: the client was told nothing happened (4xx,
 * or 502 "Stripe refused"), so no later step may charge that quote. 503 means "unknown, retry".
 */
export async function applyQuote(w: World, account: ModelAccount, quoteId: string): Promise<Answer> {
  const changed = await change(w.h, account.auth, quoteId);
  if ((changed.status >= 400 && changed.status < 500) || changed.status === 502)
    w.refused.set(quoteId, `${account.name} ${brief(changed)}`);
  return changed;
}

async function quoteAndChange(w: World, account: ModelAccount, t: Target): Promise<string> {
  const quoted = await quoteFor(w, account, t);
  if (quoted.status !== 201) return `quote ${brief(quoted)}`;
  const changed = await applyQuote(w, account, quoted.body.id as string);
  return `quoted ${quoted.body.amount_due_now as number} → ${brief(changed)}`;
}
async function newestOperation(w: World, account: ModelAccount, where: string) {
  const [row] = await query<{ id: string; result: Record<string, unknown> | null }>(
    w,
    `SELECT id, result FROM billing_operations WHERE account_id = $1 AND ${where} ORDER BY created_at DESC LIMIT 1`,
    [account.accountId],
  );
  return row;
}

/** Runs one step and says what the app answered. Faults are cleared afterwards, whatever happened. */
export async function runStep(w: World, step: Step): Promise<string> {
  try {
    return await execute(w, step);
  } finally {
    await w.h.emulator.control.clearFaults();
  }
}

async function execute(w: World, step: Step): Promise<string> {
  const { h } = w;
  if (step.op === 'advance') return advanceWorld(w, step.days);
  if (step.op === 'janitor') {
    const operations = await h.billing.finishInterruptedOperations();
    const claims = await h.services.guarantees?.finishInterruptedClaims();
    return `operations ${JSON.stringify(operations)} claims ${JSON.stringify(claims)}`;
  }
  if (step.op === 'journal' || step.op === 'alongside' || step.op === 'setup_paid' || step.op === 'replay')
    return executeJournal(w, step);
  if (step.op === 'crash') return executeCrash(w, step);
  const account = w.accounts[step.account % w.accounts.length] as ModelAccount;
  switch (step.op) {
    case 'change':
      return quoteAndChange(w, account, step.target);
    case 'concurrent': {
      const [qa, qb] = [await quoteFor(w, account, step.a), await quoteFor(w, account, step.b)];
      if (qa.status !== 201 || qb.status !== 201) return `quotes ${brief(qa)} / ${brief(qb)}`;
      const [ca, cb] = await Promise.all([
        applyQuote(w, account, qa.body.id as string),
        applyQuote(w, account, qb.body.id as string),
      ]);
      return `quoted ${qa.body.amount_due_now as number} → ${brief(ca)} ‖ quoted ${qb.body.amount_due_now as number} → ${brief(cb)}`;
    }
    case 'stale': {
      const [qa, qb] = [await quoteFor(w, account, step.a), await quoteFor(w, account, step.b)];
      if (qa.status !== 201 || qb.status !== 201) return `quotes ${brief(qa)} / ${brief(qb)}`;
      const ca = await applyQuote(w, account, qa.body.id as string);
      const cb = await applyQuote(w, account, qb.body.id as string);
      return `quoted ${qa.body.amount_due_now as number} → ${brief(ca)}; then quoted ${qb.body.amount_due_now as number} → ${brief(cb)}`;
    }
    case 'faulted': {
      const quoted = await quoteFor(w, account, step.target);
      if (quoted.status !== 201) return `quote ${brief(quoted)}`;
      await arm(w, step.fault);
      const changed = await applyQuote(w, account, quoted.body.id as string);
      return `quoted ${quoted.body.amount_due_now as number} → ${brief(changed)}`;
    }
    case 'card': {
      // NOTE: a subscription's own default_payment_method (Checkout sets it) wins over the
      // customer's, so a customer changing cards changes both, as the customer portal does.
      await useCard(h, account.customerId, step.card);
      const { data } = await h.stripe.subscriptions.list({ customer: account.customerId, limit: 10 });
      const customer = (await h.stripe.customers.retrieve(account.customerId)) as Stripe.Customer;
      const chosen = customer.invoice_settings.default_payment_method;
      const newest = typeof chosen === 'string' ? chosen : chosen?.id;
      for (const sub of data)
        if (newest && sub.default_payment_method)
          await h.stripe.subscriptions.update(sub.id, { default_payment_method: newest });
      return 'ok';
    }
    case 'authenticate': {
      const op = await newestOperation(
        w,
        account,
        `state = 'awaiting_customer' AND result->>'client_secret' IS NOT NULL`,
      );
      const secret = op?.result?.client_secret;
      if (typeof secret !== 'string') return 'nothing waits on 3-D Secure';
      const intent = secret.split('_secret_')[0] ?? '';
      try {
        if (step.outcome === 'complete') await h.emulator.control.completeAuthentication(intent);
        else await h.emulator.control.failAuthentication(intent);
        return `${step.outcome} ${intent}`;
      } catch (error) {
        return `emulator refused: ${String(error)}`;
      }
    }
    case 'checkout': {
      const op = await newestOperation(
        w,
        account,
        `state = 'awaiting_customer' AND result->>'checkout_url' IS NOT NULL`,
      );
      const url = op?.result?.checkout_url;
      if (typeof url !== 'string') return 'no open Checkout';
      const paid = await payCheckoutPage(url, step.card as Card);
      return `Checkout page ${paid.status}`;
    }
    case 'resume': {
      const resumed = await request(h.app)
        .post('/v1/subscription/resume')
        .set('Authorization', account.auth)
        .set('Idempotency-Key', crypto.randomUUID())
        .send({});
      return brief(resumed);
    }
    case 'cancel_schedule': {
      const op = await newestOperation(w, account, `kind = 'schedule' AND state = 'completed'`);
      if (!op) return 'no scheduled downgrade';
      const canceled = await request(h.app)
        .post(`/v1/changes/${op.id}/cancel`)
        .set('Authorization', account.auth)
        .set('Idempotency-Key', crypto.randomUUID())
        .send({});
      return brief(canceled);
    }
    case 'poll': {
      const op = await newestOperation(w, account, `state IN ('claimed', 'sent', 'awaiting_customer')`);
      if (!op) return 'nothing unfinished';
      return brief(await request(h.app).get(`/v1/changes/${op.id}`).set('Authorization', account.auth));
    }
    case 'refund': {
      const purchases = await query<{ id: string; kind: string; amount: string }>(
        w,
        'SELECT id, kind, amount FROM purchases WHERE account_id = $1 ORDER BY paid_at, created_at, id',
        [account.accountId],
      );
      if (purchases.length === 0) return 'no purchase';
      const purchase = purchases[step.purchase % purchases.length] as { id: string; kind: string; amount: string };
      if (step.fault) await arm(w, step.fault);
      const claimed = await request(h.app)
        .post('/v1/refunds')
        .set('Authorization', account.auth)
        .set('Idempotency-Key', crypto.randomUUID())
        .send({ purchase_id: purchase.id, reason: 'model-based test' });
      const body = claimed.body as { amount?: number; state?: string; error?: { code?: string } };
      return `${purchase.kind} ${purchase.amount} → ${claimed.status} ${body.error?.code ?? body.state ?? ''}${body.amount !== undefined ? ` refunded ${body.amount}` : ''}`;
    }
  }
}
