import { ApiError, createAdminApi, type AdminApi } from './admin-api';
import { clear, h } from './dom';
import { createFormats } from './format';
import type { SectionContext, SectionRenderer } from './section';
import { renderCatalog } from './sections/catalog-section';
import { renderExperiments } from './sections/experiments-section';
import { renderFunnel } from './sections/funnel-section';
import { renderOffers } from './sections/offers-section';
import { renderRefunds } from './sections/refunds-section';
import { renderRevenue } from './sections/revenue-section';
import { renderWebhooks } from './sections/webhooks-section';
import { forgetKey, storedKey, storeKey } from './session';
import { renderCustomers } from './sections/customers-section';
import { renderAudit } from './sections/audit-section';
import { renderOutbound } from './sections/outbound-section';
import { renderExperimentActions } from './sections/experiment-actions-section';

/** Section id in admin.html → what fills it. */
const SECTIONS: Record<string, SectionRenderer> = {
  customers: renderCustomers,
  catalog: renderCatalog,
  offers: renderOffers,
  experiments: renderExperiments,
  funnel: renderFunnel,
  revenue: renderRevenue,
  refunds: renderRefunds,
  webhooks: renderWebhooks,
  'experiment-actions': renderExperimentActions,
  outbound: renderOutbound,
  audit: renderAudit,
};

const DAY_MS = 86_400_000;
/** The range the operator chose, as dates (YYYY-MM-DD, UTC days); null: the default. */
let chosenRange: { from: string; to: string } | null = null;

const byId = <T extends HTMLElement>(id: string) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`admin.html lacks #${id}`);
  return element as T;
};

function credentialMessage(error: ApiError): string {
  return error.status === 403
    ? 'That key is valid but is not the admin key (403): sign in with an operator key or ADMIN_API_KEY.'
    : 'That key was not accepted (401). Check the admin API key and try again.';
}

function showSignIn(message?: string): void {
  byId('dashboard').hidden = true;
  byId('sign-out').hidden = true;
  byId('sign-in').hidden = false;
  const status = byId('sign-in-message');
  status.textContent = message ?? '';
  status.hidden = !message;
  byId<HTMLInputElement>('admin-key').focus();
}

/** Checks the key with one cheap admin call before showing anything, so a wrong key fails clearly. */
async function signIn(key: string): Promise<void> {
  const api = createAdminApi(key);
  let operator: SectionContext['operator'];
  try {
    operator = await api.json<SectionContext['operator']>('/admin/v1/operators/me');
  } catch (error) {
    forgetKey();
    if (error instanceof ApiError && error.isCredentialProblem) return showSignIn(credentialMessage(error));
    return showSignIn(`The service did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  storeKey(key);
  byId('sign-in').hidden = true;
  byId('sign-out').hidden = false;
  byId('dashboard').hidden = false;
  await loadAll(api, operator);
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The range from the form, else the 90 days up to the service's now (its clock, not the browser's). */
function rangeOf(now: Date): { from: Date; to: Date } {
  if (chosenRange)
    return { from: new Date(`${chosenRange.from}T00:00:00Z`), to: new Date(`${chosenRange.to}T00:00:00Z`) };
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS);
  return { from: new Date(to.getTime() - 90 * DAY_MS), to };
}

function wireRange(api: AdminApi, operator: SectionContext['operator'], range: { from: Date; to: Date }): void {
  const form = byId<HTMLFormElement>('range-form');
  const from = byId<HTMLInputElement>('range-from');
  const to = byId<HTMLInputElement>('range-to');
  from.value = day(range.from);
  to.value = day(new Date(range.to.getTime() - DAY_MS));
  form.onsubmit = (event) => {
    event.preventDefault();
    if (!from.value || !to.value || from.value > to.value) {
      byId('range-message').textContent = 'Choose a start day on or before the end day.';
      return;
    }
    byId('range-message').textContent = '';
    chosenRange = { from: from.value, to: day(new Date(Date.parse(`${to.value}T00:00:00Z`) + DAY_MS)) };
    void loadAll(api, operator);
  };
}

async function loadAll(api: AdminApi, operator: SectionContext['operator']): Promise<void> {
  const clock = await api.json<{ now: string }>('/admin/v1/clock');
  const now = new Date(clock.now);
  const range = rangeOf(now);
  const context: SectionContext = {
    api,
    formats: createFormats(navigator.language || 'en-US'),
    now,
    range,
    operator,
    reload: () => loadAll(api, operator),
  };
  wireRange(api, operator, range);
  document.body.dataset.role = operator.role;
  byId('loaded-at').textContent =
    `Figures as of ${context.formats.dateTime(now.toISOString())} (the service's clock), signed in as ${operator.name} (${operator.role}).`;
  await Promise.all(Object.entries(SECTIONS).map(([id, render]) => loadSection(id, render, context)));
  document.body.dataset.state = 'loaded';
}

async function loadSection(id: string, render: SectionRenderer, context: SectionContext): Promise<void> {
  const section = byId(id);
  const body = section.querySelector<HTMLElement>('.section-body');
  if (!body) throw new Error(`#${id} lacks a .section-body`);
  clear(body);
  section.setAttribute('aria-busy', 'true');
  try {
    await render(body, context);
    section.dataset.state = 'loaded';
  } catch (error) {
    if (error instanceof ApiError && error.isCredentialProblem) {
      forgetKey();
      showSignIn(credentialMessage(error));
      return;
    }
    section.dataset.state = 'error';
    body.append(
      h(
        'p',
        { class: 'error', role: 'alert' },
        `Could not load this section: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  } finally {
    section.removeAttribute('aria-busy');
  }
}

/** Section links move focus to the section itself, so keyboard and screen-reader users land where they aimed. */
function wireNavigation(): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav.sections a[href^="#"]')) {
    link.addEventListener('click', (event) => {
      const target = document.getElementById(link.hash.slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: 'start' });
      history.replaceState(null, '', link.hash);
    });
  }
}

function start(): void {
  wireNavigation();
  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('admin-key');
    const key = input.value.trim();
    input.value = '';
    if (key) void signIn(key);
  });
  byId('sign-out').addEventListener('click', () => {
    forgetKey();
    for (const id of Object.keys(SECTIONS)) {
      const body = byId(id).querySelector('.section-body');
      if (body) clear(body);
    }
    showSignIn('Signed out.');
  });
  const key = storedKey();
  if (key) void signIn(key);
  else showSignIn();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
