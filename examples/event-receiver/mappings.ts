/**
 * Tierlift outbound events mapped to the requests a CRM or e-mail tool expects. Nothing here calls
 * the network: each function answers the request to send (method, url, body), or null when the
 * tool has no use for the event. Credentials are added by whoever sends.
 */
export interface TierliftEvent {
  id: string;
  type: string;
  version: number;
  timestamp: string;
  account_id: string | null;
  data: Record<string, unknown>;
}

export interface OutgoingRequest {
  method: 'POST' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  body: unknown;
}

/** Minor units to the decimal amount the tools take (JPY has no decimals, KWD three). */
export function decimalAmount(amount: number, currency: string): number {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return amount / 10 ** digits;
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** HubSpot CRM v3: contacts for new accounts, closed-won deals for purchases, custom events otherwise. */
export function toHubSpot(event: TierliftEvent, options: { eventNamePrefix: string }): OutgoingRequest | null {
  const base = 'https://api.hubapi.com';
  const d = event.data;
  if (event.type === 'account.created')
    return {
      method: 'POST',
      url: `${base}/crm/v3/objects/contacts/batch/upsert`,
      body: {
        inputs: [
          {
            idProperty: 'email',
            id: str(d.email),
            properties: {
              email: str(d.email),
              company: str(d.name),
              country: str(d.country),
              tierlift_account_id: event.account_id,
            },
          },
        ],
      },
    };
  if (event.type === 'purchase.completed') {
    const amount = num(d.amount) ?? 0;
    const currency = str(d.currency) ?? 'usd';
    return {
      method: 'POST',
      url: `${base}/crm/v3/objects/deals`,
      body: {
        properties: {
          dealname: `Tierlift ${str(d.kind) ?? 'purchase'} ${str(d.purchase_id) ?? ''}`.trim(),
          amount: String(decimalAmount(amount, currency)),
          deal_currency_code: currency.toUpperCase(),
          dealstage: 'closedwon',
          pipeline: 'default',
          closedate: event.timestamp,
          tierlift_account_id: event.account_id,
        },
      },
    };
  }
  if (!event.account_id) return null;
  return {
    method: 'POST',
    url: `${base}/events/v3/send`,
    body: {
      eventName: `${options.eventNamePrefix}_tierlift_${event.type.replaceAll('.', '_')}`,
      objectType: 'contacts',
      occurredAt: event.timestamp,
      uuid: event.id,
      properties: { tierlift_account_id: event.account_id, ...flatten(d) },
    },
  };
}

/** Salesforce REST: accounts upserted by an external id, opportunities for purchases, a platform event otherwise. */
export function toSalesforce(
  event: TierliftEvent,
  options: { instanceUrl: string; apiVersion?: string },
): OutgoingRequest | null {
  const base = `${options.instanceUrl}/services/data/${options.apiVersion ?? 'v60.0'}/sobjects`;
  const d = event.data;
  if (event.type === 'account.created' && event.account_id)
    return {
      method: 'PATCH',
      url: `${base}/Account/Tierlift_Account_Id__c/${encodeURIComponent(event.account_id)}`,
      body: { Name: str(d.name), BillingCountry: str(d.country), Industry: str(d.industry) ?? undefined },
    };
  if (event.type === 'purchase.completed' && event.account_id) {
    const currency = str(d.currency) ?? 'usd';
    return {
      method: 'POST',
      url: `${base}/Opportunity`,
      body: {
        Name: `Tierlift ${str(d.kind) ?? 'purchase'} ${str(d.purchase_id) ?? ''}`.trim(),
        StageName: 'Closed Won',
        CloseDate: event.timestamp.slice(0, 10),
        Amount: decimalAmount(num(d.amount) ?? 0, currency),
        CurrencyIsoCode: currency.toUpperCase(),
        Account: { Tierlift_Account_Id__c: event.account_id },
        Tierlift_Event_Id__c: event.id,
      },
    };
  }
  return {
    method: 'POST',
    url: `${base}/Tierlift_Event__e`,
    body: {
      Event_Id__c: event.id,
      Type__c: event.type,
      Account_Id__c: event.account_id,
      Occurred_At__c: event.timestamp,
      Payload__c: JSON.stringify(d),
    },
  };
}

/** Klaviyo (API revision 2024-10-15): profiles for new accounts, a metric event for everything. */
export function toKlaviyo(event: TierliftEvent): OutgoingRequest[] {
  const headers = { revision: '2024-10-15', 'content-type': 'application/vnd.api+json' };
  const d = event.data;
  const requests: OutgoingRequest[] = [];
  if (event.type === 'account.created')
    requests.push({
      method: 'POST',
      url: 'https://a.klaviyo.com/api/profile-import',
      headers,
      body: {
        data: {
          type: 'profile',
          attributes: {
            email: str(d.email),
            external_id: event.account_id,
            organization: str(d.name),
            location: { country: str(d.country) },
            properties: { tierlift_locale: str(d.locale) },
          },
        },
      },
    });
  if (!event.account_id) return requests;
  const amount = num(d.amount);
  const currency = str(d.currency);
  requests.push({
    method: 'POST',
    url: 'https://a.klaviyo.com/api/events',
    headers,
    body: {
      data: {
        type: 'event',
        attributes: {
          properties: flatten(d),
          time: event.timestamp,
          unique_id: event.id,
          ...(amount !== undefined && currency
            ? { value: decimalAmount(amount, currency), value_currency: currency.toUpperCase() }
            : {}),
          metric: { data: { type: 'metric', attributes: { name: `Tierlift ${event.type}` } } },
          profile: { data: { type: 'profile', attributes: { external_id: event.account_id } } },
        },
      },
    },
  });
  return requests;
}

/** Nested payload fields as `offer_code`-style keys: the tools take flat properties. */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}_${key}` : key;
    if (item !== null && typeof item === 'object' && !Array.isArray(item))
      Object.assign(out, flatten(item as Record<string, unknown>, name));
    else if (Array.isArray(item)) out[name] = JSON.stringify(item);
    else out[name] = item as string | number | boolean | null;
  }
  return out;
}
