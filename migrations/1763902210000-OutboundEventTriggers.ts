import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound events emitted by the database itself, in the transaction of the state change they
 * report (issue #21): a trigger fires whichever code path writes the row (a route, the Stripe
 * webhook worker, a janitor, a replay), and commits or rolls back with it. Each event whose cause
 * can repeat carries a dedupe key, so a replayed sync never emits it twice.
 */
const TRIGGERS: ReadonlyArray<{ table: string; when: string; events: string; body: string }> = [
  {
    table: 'accounts',
    when: 'AFTER INSERT',
    events: 'account.created',
    body: `PERFORM emit_outbound_event('account.created', NEW.id, jsonb_build_object(
             'account_id', NEW.id, 'name', NEW.name, 'email', NEW.email, 'country', NEW.country, 'locale', NEW.locale,
             'industry', NEW.industry, 'company_size', NEW.company_size, 'signed_up_at', NEW.signed_up_at),
           'account.created:' || NEW.id, NEW.created_at);`,
  },
  {
    table: 'usage_threshold_crossings',
    when: 'AFTER INSERT',
    events: 'usage.threshold_crossed',
    body: `PERFORM emit_outbound_event('usage.threshold_crossed', NEW.account_id, jsonb_build_object(
             'feature', NEW.feature, 'threshold_percent', NEW.threshold, 'used', NEW.used, 'limit', NEW.limit_value,
             'period_start', NEW.period_start, 'period_end', NEW.period_end, 'projected_total', NEW.projected_total,
             'projected_limit_at', NEW.projected_limit_at),
           format('usage.threshold_crossed:%s:%s:%s:%s', NEW.account_id, NEW.feature,
                  extract(epoch FROM NEW.period_start)::bigint, NEW.threshold), NEW.crossed_at);`,
  },
  {
    table: 'offer_events',
    when: 'AFTER INSERT',
    events: 'prompt.shown|clicked|dismissed',
    body: `DECLARE kind text := CASE NEW.type WHEN 'impression' THEN 'prompt.shown' WHEN 'click' THEN 'prompt.clicked'
                                          WHEN 'dismiss' THEN 'prompt.dismissed' END;
           BEGIN
             IF kind IS NULL THEN RETURN NULL; END IF;
             PERFORM emit_outbound_event(kind, NEW.account_id, (
               SELECT jsonb_build_object('prompt_id', p.id, 'rule_id', p.rule_id, 'kind', p.kind,
                        'offer', jsonb_build_object('type', p.offer_type, 'code', p.offer_code, 'interval', p.offer_interval,
                                                    'amount', p.amount, 'currency', p.currency),
                        'placement', COALESCE(NEW.placement, p.placement), 'experiment_key', p.experiment_key,
                        'experiment_variant', p.experiment_variant)
                 FROM offer_prompts p WHERE p.id = NEW.prompt_id),
               kind || ':' || NEW.id, NEW.occurred_at);
           END;`,
  },
  {
    table: 'quotes',
    when: 'AFTER INSERT',
    events: 'quote.created',
    body: `PERFORM emit_outbound_event('quote.created', NEW.account_id, jsonb_build_object(
             'quote_id', NEW.id, 'kind', NEW.kind, 'currency', NEW.currency, 'amount_due_now', NEW.amount_due_now,
             'expires_at', NEW.expires_at), 'quote.created:' || NEW.id, NEW.created_at);`,
  },
  {
    table: 'billing_operations',
    when: 'AFTER INSERT OR UPDATE OF state',
    events: 'change.applied|failed|requires_action',
    body: `DECLARE kind text := CASE NEW.state WHEN 'completed' THEN 'change.applied' WHEN 'failed' THEN 'change.failed'
                                           WHEN 'awaiting_customer' THEN 'change.requires_action' END;
           BEGIN
             IF kind IS NULL OR (TG_OP = 'UPDATE' AND OLD.state = NEW.state) THEN RETURN NULL; END IF;
             PERFORM emit_outbound_event(kind, NEW.account_id, jsonb_build_object(
               'change_id', NEW.id, 'kind', NEW.kind, 'quote_id', NEW.quote_id,
               'error', CASE WHEN NEW.state = 'failed' THEN NEW.result -> 'error' END),
               kind || ':' || NEW.id, NEW.updated_at);
           END;`,
  },
  {
    table: 'purchases',
    when: 'AFTER INSERT',
    events: 'purchase.completed',
    body: `PERFORM emit_outbound_event('purchase.completed', NEW.account_id, jsonb_build_object(
             'purchase_id', NEW.id, 'kind', NEW.kind, 'bought', NEW.bought, 'previous', NEW.previous,
             'currency', NEW.currency, 'amount', NEW.amount, 'change_id', NEW.operation_id, 'paid_at', NEW.paid_at),
           'purchase.completed:' || NEW.id, NEW.paid_at);`,
  },
  {
    table: 'refund_claims',
    when: 'AFTER INSERT OR UPDATE OF state',
    events: 'refund.succeeded',
    body: `IF NEW.state NOT IN ('refunded', 'completed')
              OR (TG_OP = 'UPDATE' AND OLD.state IN ('refunded', 'completed')) THEN RETURN NULL; END IF;
           PERFORM emit_outbound_event('refund.succeeded', NEW.account_id, jsonb_build_object(
             'refund_claim_id', NEW.id, 'purchase_id', NEW.purchase_id, 'product', NEW.product,
             'source', NEW.source, 'within_policy', NEW.within_policy, 'currency', NEW.currency, 'amount', NEW.amount),
           'refund.succeeded:' || NEW.id, NEW.updated_at);`,
  },
  {
    table: 'experiments',
    when: 'AFTER UPDATE OF stopped_at',
    events: 'experiment.concluded',
    body: `IF NEW.stopped_at IS NULL OR OLD.stopped_at IS NOT NULL THEN RETURN NULL; END IF;
           PERFORM emit_outbound_event('experiment.concluded', NULL, jsonb_build_object(
             'experiment_key', NEW.key, 'rule_id', NEW.rule_id, 'started_at', NEW.started_at,
             'stopped_at', NEW.stopped_at, 'primary_metric', NEW.definition -> 'primary_metric',
             'variants', NEW.definition -> 'variants'),
           'experiment.concluded:' || NEW.key || ':' || extract(epoch FROM NEW.stopped_at)::bigint, NEW.stopped_at);`,
  },
  {
    table: 'subscriptions',
    when: 'AFTER UPDATE',
    events: 'subscription.renewed|canceled|resumed',
    body: `DECLARE data jsonb := jsonb_build_object('subscription_id', NEW.id, 'plan_code', NEW.plan_code,
             'interval', NEW.interval, 'currency', NEW.currency, 'status', NEW.status,
             'current_period_start', NEW.current_period_start, 'current_period_end', NEW.current_period_end,
             'cancel_at_period_end', NEW.cancel_at_period_end, 'canceled_at', NEW.canceled_at);
           BEGIN
             IF NEW.current_period_start > OLD.current_period_start AND NEW.status IN ('active', 'past_due') THEN
               PERFORM emit_outbound_event('subscription.renewed', NEW.account_id, data,
                 format('subscription.renewed:%s:%s', NEW.id, extract(epoch FROM NEW.current_period_start)::bigint),
                 NEW.current_period_start);
             END IF;
             IF (NEW.cancel_at_period_end AND NOT OLD.cancel_at_period_end AND NEW.status <> 'canceled')
                OR (NEW.status = 'canceled' AND OLD.status <> 'canceled' AND NOT OLD.cancel_at_period_end) THEN
               PERFORM emit_outbound_event('subscription.canceled', NEW.account_id,
                 data || jsonb_build_object('ends_at', CASE WHEN NEW.status = 'canceled'
                                              THEN COALESCE(NEW.ended_at, NEW.canceled_at) ELSE NEW.current_period_end END),
                 format('subscription.canceled:%s:%s', NEW.id, extract(epoch FROM NEW.current_period_end)::bigint),
                 COALESCE(NEW.canceled_at, NEW.updated_at));
             END IF;
             IF OLD.cancel_at_period_end AND NOT NEW.cancel_at_period_end AND NEW.status <> 'canceled' THEN
               PERFORM emit_outbound_event('subscription.resumed', NEW.account_id, data, NULL, NEW.updated_at);
             END IF;
           END;`,
  },
];

export class OutboundEventTriggers1763902210000 implements MigrationInterface {
  name = 'OutboundEventTriggers1763902210000';

  // NOTE: `SET search_path FROM CURRENT`: the functions find the outbox in the schema they were
  // migrated into, whatever the writing session's search_path (a writer may qualify its tables).
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION emit_outbound_event(p_type text, p_account text, p_data jsonb, p_dedupe text, p_at timestamptz)
      RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $fn$
        INSERT INTO outbound_events (id, type, account_id, data, dedupe_key, occurred_at)
        VALUES ('evt_' || replace(gen_random_uuid()::text, '-', ''), p_type, p_account,
                p_data, p_dedupe, COALESCE(p_at, now()))
        ON CONFLICT (dedupe_key) DO NOTHING
      $fn$`);
    for (const trigger of TRIGGERS) {
      const body = trigger.body.trimStart().startsWith('DECLARE') ? trigger.body : `BEGIN ${trigger.body} END;`;
      await q.query(`
        CREATE FUNCTION ${trigger.table}_outbound_event() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
        ${body.replace(/END;\s*$/, 'RETURN NULL; END;')}
        $fn$`);
      await q.query(`
        CREATE TRIGGER ${trigger.table}_outbound_event ${trigger.when} ON ${trigger.table}
        FOR EACH ROW EXECUTE FUNCTION ${trigger.table}_outbound_event()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) {
      await q.query(`DROP TRIGGER ${trigger.table}_outbound_event ON ${trigger.table}`);
      await q.query(`DROP FUNCTION ${trigger.table}_outbound_event()`);
    }
    await q.query('DROP FUNCTION emit_outbound_event(text, text, jsonb, text, timestamptz)');
  }
}
