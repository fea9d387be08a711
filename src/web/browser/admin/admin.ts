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

/** Section id in admin.html → what fills it. */
const SECTIONS: Record<string, SectionRenderer> = {
  catalog: renderCatalog,
  offers: renderOffers,
  experiments: renderExperiments,
  funnel: renderFunnel,
  revenue: renderRevenue,
  refunds: renderRefunds,
  webhooks: renderWebhooks,
};

const byId = <T extends HTMLElement>(id: string) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`admin.html lacks #${id}`);
  return element as T;
};

function credentialMessage(error: ApiError): string {
  return error.status === 403
    ? 'That key is valid but is not the admin key (403). Sign in with ADMIN_API_KEY.'
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
  try {
    await api.json('/admin/v1/guarantees/policies');
  } catch (error) {
    forgetKey();
    if (error instanceof ApiError && error.isCredentialProblem) return showSignIn(credentialMessage(error));
    return showSignIn(`The service did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  storeKey(key);
  byId('sign-in').hidden = true;
  byId('sign-out').hidden = false;
  byId('dashboard').hidden = false;
  await loadAll(api);
}

async function loadAll(api: AdminApi): Promise<void> {
  const context: SectionContext = {
    api,
    formats: createFormats(navigator.language || 'en-US'),
    now: new Date(),
  };
  byId('loaded-at').textContent = `Figures as of ${context.formats.dateTime(context.now.toISOString())}.`;
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
