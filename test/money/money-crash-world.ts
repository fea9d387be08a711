import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CrashStep, Meanwhile } from './money-crash-steps';
import { actionRequest, asksForRetry, brief, post, type Answer } from './money-journal-world';
import { advanceWorld, webhooksSettled, type ModelAccount, type World } from './money-world';
import { quoteBody } from './money-world-steps';

/**
 * How a crash step (money-crash-steps.ts) is carried out: the request, dead right after its claim or
 * a later journal write (money-crash-points.ts); the process gone, so its leases lapse; something moves meanwhile; then
 * the janitor and the client's retry under the same Idempotency-Key carry the work forward.
 */

const query = <T>(w: World, sql: string, params: unknown[] = []): Promise<T[]> => w.h.db.dataSource.query(sql, params);

interface Sent {
  path: string;
  body: object;
  auth: string;
  key: string;
  /** The quote a change applies (its refusal is final: refusal_is_final). */
  quoteId?: string;
  /** The operator credit asked for, by its reason (credit_once_per_key). */
  creditReason?: string;
}

/** What the crashed request sends, or why there is nothing to send. */
async function requestOf(w: World, account: ModelAccount, step: CrashStep): Promise<Sent | string> {
  const key = `model-crash-${(w.keys += 1)}`;
  switch (step.request.kind) {
    case 'change': {
      const quoted = await post(w, '/v1/quotes', quoteBody(step.request.target), account.auth, `${key}-quote`);
      if (quoted.status !== 201) return `quote ${brief(quoted)}`;
      const quoteId = quoted.body.id as string;
      return { path: '/v1/changes', body: { quote_id: quoteId }, auth: account.auth, key, quoteId };
    }
    case 'refund': {
      const purchases = await query<{ id: string }>(
        w,
        'SELECT id FROM purchases WHERE account_id = $1 ORDER BY paid_at, created_at, id',
        [account.accountId],
      );
      const purchase = purchases[step.request.purchase % Math.max(purchases.length, 1)];
      if (!purchase) return 'no purchase';
      return {
        path: '/v1/refunds',
        body: { purchase_id: purchase.id, reason: 'model-based test' },
        auth: account.auth,
        key,
      };
    }
    case 'action': {
      const sent = await actionRequest(w, account, step.request.action, key);
      if (typeof sent === 'string') return sent;
      const reason = step.request.action.kind === 'credit' ? (sent.body as { reason: string }).reason : undefined;
      return { ...sent, key, ...(reason ? { creditReason: reason } : {}) };
    }
  }
}

/**
 * Sends the request to the app on a listener of its own; when it dies, the client's connection is
 * cut (as a dead process's is) and the listener closed. Or the app's answer, when the request ended
 * before its `writes`-th journal write (a refusal, the lane held by another, a shorter journal).
 */
async function sendUntilCrash(w: World, sent: Sent, writes: number): Promise<'crashed' | { answer: Answer }> {
  const server = http.createServer(w.crash.listener(w.h.app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { struck } = w.crash.arm(writes);
  const aborter = new AbortController();
  try {
    const answered = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${sent.path}`, {
      method: 'POST',
      headers: { Authorization: sent.auth, 'Content-Type': 'application/json', 'Idempotency-Key': sent.key },
      body: JSON.stringify(sent.body),
      signal: aborter.signal,
    }).then(async (res) => ({ answer: { status: res.status, body: (await res.json()) as Record<string, unknown> } }));
    return await Promise.race([struck.then(() => 'crashed' as const), answered]);
  } finally {
    w.crash.disarm();
    aborter.abort();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The process is gone: the leases of what it held (the account's unfinished operation or claim:
 * the lane allows one) and of its Idempotency-Key lapse (what a minute without the process would
 * do; its key's renewal stopped when its connection closed).
 */
async function leasesLapse(w: World, account: ModelAccount, key: string): Promise<void> {
  await query(
    w,
    `UPDATE billing_operations SET lease_until = NULL WHERE account_id = $1 AND state IN ('claimed', 'sent', 'awaiting_customer')`,
    [account.accountId],
  );
  await query(
    w,
    `UPDATE refund_claims SET lease_until = NULL WHERE account_id = $1 AND state IN ('claimed', 'refunded')`,
    [account.accountId],
  );
  await query(
    w,
    `UPDATE idempotency_keys SET lease_until = now() - interval '1 second' WHERE key = $1 AND state = 'in_progress'`,
    [key],
  );
}

/** A move outside the lane the crashed claim holds. */
async function moveMeanwhile(w: World, account: ModelAccount, meanwhile: Meanwhile): Promise<string> {
  switch (meanwhile.kind) {
    case 'nothing':
      return 'nothing moved';
    case 'dashboard_credit': {
      // NOTE: a gift like an operator's credit (credit_once_per_key counts it, once, as asked).
      const reason = `model dashboard credit ${(w.keys += 1)}`;
      await w.h.stripe.customers.createBalanceTransaction(account.customerId, {
        amount: -500,
        currency: account.currency,
        description: reason,
      });
      w.credits.set(reason, { account: account.name, amount: 500, answers: ['200 in the dashboard'] });
      return 'dashboard credit 500';
    }
    case 'advance': {
      const now = await advanceWorld(w, meanwhile.days);
      await webhooksSettled(w);
      return now;
    }
  }
}

async function janitor(w: World): Promise<string> {
  const operations = await w.h.billing.finishInterruptedOperations();
  const claims = await w.h.services.guarantees?.finishInterruptedClaims();
  return `janitor ${operations.completed}/${operations.failed}/${operations.stillOpen}${claims ? ` claims ${claims.finished}/${claims.stillFailing}` : ''}`;
}

/** The client's answer as the model keeps it: a change refused for good is never to be charged. */
function remember(w: World, account: ModelAccount, sent: Sent, answer: Answer): string {
  const refused = (answer.status >= 400 && answer.status < 500 && !asksForRetry(answer)) || answer.status === 502;
  if (sent.quoteId && refused) w.refused.set(sent.quoteId, `${account.name} ${brief(answer)} (retried after a crash)`);
  if (sent.creditReason) w.credits.get(sent.creditReason)?.answers.push(brief(answer));
  return brief(answer);
}

/** Runs one crash step; what the app answered at each turn. */
export async function executeCrash(w: World, step: CrashStep): Promise<string> {
  const account = w.accounts[step.account % w.accounts.length] as ModelAccount;
  const sent = await requestOf(w, account, step);
  if (typeof sent === 'string') return sent;
  const first = await sendUntilCrash(w, sent, step.writes);
  if (first !== 'crashed') return `${remember(w, account, sent, first.answer)} before the crash`;
  await leasesLapse(w, account, sent.key);
  const turns = [`crashed after journal write ${step.writes}`, await moveMeanwhile(w, account, step.meanwhile)];
  const retry = async () => {
    const answer = await post(w, sent.path, sent.body, sent.auth, sent.key);
    turns.push(`retry ${remember(w, account, sent, answer)}`);
    return answer;
  };
  if (step.resume === 'janitor_first') {
    turns.push(await janitor(w));
    await retry();
  } else if (asksForRetry(await retry())) {
    turns.push(await janitor(w));
    await retry();
  }
  return turns.join(' → ');
}
