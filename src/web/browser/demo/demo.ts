import { TierliftClient, TierliftError } from '../client/tierlift-client';
import type { Entitlement, RefundEligibility } from '../client/tierlift-types';
import { formatDate, formatMinor } from '../widget/money';

/**
 * The demo SaaS page: a pretend product for the demo account. It signs in through the local-only
 * /demo/api/session (owner or member, in a chosen language), pushes usage through /demo/api/usage
 * as the SaaS backend would, and reads everything else from the same end-user API the widget uses.
 */
interface DemoSession {
  token: string;
  role: string;
  locale: string;
  stripe_publishable_key: string | null;
  now: string;
}

const ROLE_KEY = 'tierlift-demo:role';
let session: DemoSession | null = null;
const client = new TierliftClient({
  baseUrl: window.location.origin,
  getToken: async () => (await ensureSession()).token,
});

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const say = (message: string) => {
  byId('demo-status').textContent = message;
};

async function demoApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(parsed.error?.message ?? `HTTP ${response.status}`);
  return parsed;
}

async function ensureSession(): Promise<DemoSession> {
  if (session) return session;
  return signIn(sessionStorage.getItem(ROLE_KEY) ?? 'owner');
}

async function signIn(role: string, locale?: string): Promise<DemoSession> {
  const query = new URLSearchParams({ role, ...(locale ? { locale } : {}) });
  session = await demoApi<DemoSession>('GET', `/demo/api/session?${query.toString()}`);
  sessionStorage.setItem(ROLE_KEY, role);
  byId<HTMLSelectElement>('persona-role').value = session.role;
  byId<HTMLSelectElement>('persona-locale').value = session.locale;
  document.body.dataset.role = session.role;
  return session;
}

/** The plan in force comes from the entitlements (a canceled subscription leaves the free plan). */
async function showAccount(): Promise<void> {
  const [account, entitlements] = await Promise.all([client.account(), client.entitlements()]);
  const plan = entitlements.plan;
  const element = byId('current-plan');
  element.textContent = plan.charAt(0).toUpperCase() + plan.slice(1);
  element.dataset.plan = plan;
  const subscription = account.subscription;
  byId('plan-detail').textContent =
    subscription && subscription.status !== 'canceled'
      ? `(${subscription.interval}ly, ${subscription.status}${subscription.cancel_at_period_end ? ', ends at period end' : ''})`
      : '(no paid subscription)';
  showMeters(entitlements.data);
}

function meter(entitlement: Extract<Entitlement, { type: 'metered' }>): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'meter';
  wrapper.dataset.feature = entitlement.feature;
  const id = `meter-${entitlement.feature}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  const name = document.createElement('span');
  name.textContent = entitlement.feature.replace(/_/g, ' ');
  const figures = document.createElement('span');
  figures.textContent =
    entitlement.limit === null
      ? `${entitlement.used} used · unlimited`
      : `${entitlement.used} of ${entitlement.limit} (${Math.round(entitlement.percent ?? 0)}%)`;
  label.append(name, figures);
  const bar = document.createElement('meter');
  bar.id = id;
  bar.min = 0;
  bar.max = entitlement.limit === null ? Math.max(entitlement.used, 1) : entitlement.limit;
  bar.value = entitlement.used;
  if (entitlement.limit !== null) {
    bar.low = entitlement.limit * 0.8;
    bar.high = entitlement.limit * 0.99;
    bar.optimum = 0;
  }
  wrapper.append(label, bar);
  return wrapper;
}

async function showUsage(): Promise<void> {
  showMeters((await client.entitlements()).data);
}

function showMeters(data: Entitlement[]): void {
  const meters = data.flatMap((entitlement) => (entitlement.type === 'metered' ? [meter(entitlement)] : []));
  byId('usage-meters').replaceChildren(...meters);
}

async function showRefunds(): Promise<void> {
  const container = byId('refunds');
  const eligible = (await client.refundEligibility()).filter((purchase) => purchase.eligible !== false);
  if (eligible.length === 0) {
    const none = document.createElement('p');
    none.className = 'muted';
    none.textContent = 'Nothing to refund: purchases under a money-back guarantee appear here.';
    container.replaceChildren(none);
    return;
  }
  container.replaceChildren(...eligible.map(refundRow));
}

function refundRow(purchase: RefundEligibility): HTMLElement {
  const row = document.createElement('p');
  row.dataset.purchase = purchase.purchase_id;
  const locale = session?.locale ?? 'en-US';
  const amount = formatMinor(purchase.amount, purchase.currency, locale);
  const deadline = purchase.deadline ? ` until ${formatDate(purchase.deadline, locale)}` : '';
  const text = document.createElement('span');
  text.textContent = `${String(purchase.product ?? 'Purchase')}: ${amount} refundable${deadline}. `;
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.action = 'claim-refund';
  button.textContent = `Claim refund of ${amount}`;
  button.addEventListener('click', () => void claim(purchase, button));
  row.append(text, button);
  return row;
}

async function claim(purchase: RefundEligibility, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const refund = await client.claimRefund(purchase.purchase_id, 'Tried it in the demo; not for us.');
    say(`Refund ${refund.status}: ${formatMinor(refund.amount, refund.currency, session?.locale ?? 'en-US')}.`);
    await refreshAll();
  } catch (error) {
    button.disabled = false;
    say(`Refund refused: ${error instanceof TierliftError ? `${error.message} (${error.code})` : String(error)}`);
  }
}

async function showClock(): Promise<void> {
  const clock = await demoApi<{ now: string; offset_days: number }>('GET', '/demo/api/clock');
  byId('clock-now').textContent =
    `${formatDate(clock.now, session?.locale ?? 'en-US')}` + (clock.offset_days ? ` (+${clock.offset_days} days)` : '');
}

async function refreshAll(): Promise<void> {
  await Promise.all([showAccount(), showRefunds(), showClock()]);
  document.body.dataset.ready = 'true';
}

function widget(): { refresh(): Promise<void> } | null {
  return document.querySelector('tierlift-prompt') as unknown as { refresh(): Promise<void> } | null;
}

async function guard(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    say(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function wire(): void {
  byId('usage-buttons').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button');
    if (!button?.dataset.feature) return;
    void guard(async () => {
      await demoApi('POST', '/demo/api/usage', {
        feature: button.dataset.feature,
        quantity: Number(button.dataset.quantity ?? 1),
        action: 'increment',
      });
      say(`${button.textContent ?? 'Usage'}: done.`);
      await showUsage();
      await widget()?.refresh();
    });
  });
  byId<HTMLFormElement>('clock').addEventListener('submit', (event) => {
    event.preventDefault();
    const days = Number(byId<HTMLInputElement>('clock-days').value);
    void guard(async () => {
      await demoApi('POST', '/demo/api/clock', { days });
      say(`Skipped ahead ${days} days.`);
      await refreshAll();
      await widget()?.refresh();
    });
  });
  byId<HTMLFormElement>('persona').addEventListener('submit', (event) => {
    event.preventDefault();
    const role = byId<HTMLSelectElement>('persona-role').value;
    const locale = byId<HTMLSelectElement>('persona-locale').value;
    void guard(async () => {
      await signIn(role, locale);
      say(`Signed in as the ${role}, in ${locale}.`);
      await refreshAll();
      await widget()?.refresh();
    });
  });
  document.addEventListener('tierlift:change', () => void guard(refreshAll));
}

async function start(): Promise<void> {
  wire();
  await ensureSession();
  const tierlift = (window as unknown as { TierliftPrompt?: { configure(settings: object): void } }).TierliftPrompt;
  tierlift?.configure({
    getToken: async () => (await ensureSession()).token,
    ...(session?.stripe_publishable_key ? { stripePublishableKey: session.stripe_publishable_key } : {}),
  });
  const params = new URLSearchParams(window.location.search);
  if (params.has('checkout')) {
    // Back from Checkout: ask Stripe now instead of waiting for the minute-ly janitor.
    await demoApi('POST', '/demo/api/settle', {});
    history.replaceState(null, '', window.location.pathname);
    say('Back from Checkout.');
  }
  await refreshAll();
  await widget()?.refresh();
}

void guard(start);
