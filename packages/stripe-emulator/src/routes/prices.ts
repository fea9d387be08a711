import type { EmulatorContext } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import { emitEvent } from '../emulator-context';
import { paginate } from '../http/list-response';
import {
  array,
  boolean,
  emptyable,
  integer,
  metadata,
  object,
  oneOf,
  record,
  required,
  string,
} from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId } from '../ids';
import { cloneJson, previousAttributes } from '../previous-attributes';
import type { Price, Product } from '../resource-types';
import { invalidRequest, parameterMissing } from '../stripe-error';

const taxBehavior = oneOf(['exclusive', 'inclusive', 'unspecified']);
const currencyOption = object({ unit_amount: integer(), tax_behavior: taxBehavior });

function currencyOptionEntry(unitAmount: number, behaviour = 'unspecified') {
  return {
    custom_unit_amount: null,
    tax_behavior: behaviour,
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
}

/** NOTE: a lookup key names one price; `transfer_lookup_key` moves it from the price holding it. */
function claimLookupKey(context: EmulatorContext, price: Price, lookupKey: string, transfer: boolean): void {
  const holder = context.store.all<Price>(
    'price',
    (candidate) => candidate.lookup_key === lookupKey && candidate.id !== price.id,
  )[0];
  if (holder && !transfer) {
    throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, {
      param: 'lookup_key',
      code: 'lookup_key_already_exists',
    });
  }
  if (holder) {
    holder.lookup_key = null;
    emitEvent(context, 'price.updated', holder, { previous: { lookup_key: lookupKey } });
  }
  price.lookup_key = lookupKey;
}

export const priceRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/prices',
    params: {
      currency: required(string()),
      unit_amount: integer(),
      product: string(),
      product_data: object({ name: required(string()), metadata: metadata(), active: boolean() }),
      recurring: object({
        interval: required(oneOf(['day', 'week', 'month', 'year'])),
        interval_count: integer(),
        usage_type: oneOf(['licensed']),
        trial_period_days: integer(),
      }),
      currency_options: record(currencyOption),
      lookup_key: string(),
      transfer_lookup_key: boolean(),
      active: boolean(),
      nickname: string(),
      metadata: metadata(),
      tax_behavior: taxBehavior,
      billing_scheme: oneOf(['per_unit']),
    },
    handle: ({ context, params }) => {
      if (params.unit_amount === undefined) throw parameterMissing('unit_amount');
      if (!params.product && !params.product_data) throw parameterMissing('product');
      const now = context.realNow();
      let productId = params.product;
      if (productId) context.store.require<Product>('product', productId, 'product');
      else {
        const product: Product = {
          id: newId('prod'),
          object: 'product',
          active: params.product_data?.active ?? true,
          created: now,
          default_price: null,
          description: null,
          images: [],
          livemode: false,
          marketing_features: [],
          metadata: params.product_data?.metadata ?? {},
          name: params.product_data?.name ?? '',
          updated: now,
          url: null,
        };
        context.store.insert(product);
        emitEvent(context, 'product.created', product);
        productId = product.id;
      }
      const currency = params.currency.toLowerCase();
      const options: NonNullable<Price['currency_options']> = {
        [currency]: currencyOptionEntry(params.unit_amount, params.tax_behavior),
      };
      for (const [code, option] of Object.entries(params.currency_options ?? {})) {
        if (option.unit_amount === undefined) throw parameterMissing(`currency_options[${code}][unit_amount]`);
        options[code.toLowerCase()] = currencyOptionEntry(option.unit_amount, option.tax_behavior);
      }
      const price: Price = {
        id: newId('price'),
        object: 'price',
        active: params.active ?? true,
        billing_scheme: 'per_unit',
        created: now,
        currency,
        currency_options: options,
        custom_unit_amount: null,
        livemode: false,
        lookup_key: null,
        metadata: params.metadata ?? {},
        nickname: params.nickname ?? null,
        product: productId,
        recurring: params.recurring
          ? {
              interval: params.recurring.interval,
              interval_count: params.recurring.interval_count ?? 1,
              meter: null,
              trial_period_days: params.recurring.trial_period_days ?? null,
              usage_type: 'licensed',
            }
          : null,
        tax_behavior: params.tax_behavior ?? 'unspecified',
        tiers_mode: null,
        transform_quantity: null,
        type: params.recurring ? 'recurring' : 'one_time',
        unit_amount: params.unit_amount,
        unit_amount_decimal: String(params.unit_amount),
      };
      context.store.insert(price);
      if (params.lookup_key) claimLookupKey(context, price, params.lookup_key, params.transfer_lookup_key ?? false);
      emitEvent(context, 'price.created', price);
      return price;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/prices/:id',
    params: {},
    handle: ({ context, path }) => context.store.require<Price>('price', path.id ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/prices/:id',
    params: {
      active: boolean(),
      metadata: emptyable(metadata()),
      nickname: emptyable(string()),
      lookup_key: emptyable(string()),
      transfer_lookup_key: boolean(),
      tax_behavior: taxBehavior,
    },
    handle: ({ context, params, path }) => {
      const price = context.store.require<Price>('price', path.id ?? '');
      const before = cloneJson(price);
      if (params.active !== undefined) price.active = params.active;
      if (params.nickname !== undefined) price.nickname = params.nickname;
      if (params.tax_behavior !== undefined) price.tax_behavior = params.tax_behavior;
      if (params.metadata !== undefined) price.metadata = mergeMetadata(price.metadata, params.metadata);
      if (params.lookup_key === null) price.lookup_key = null;
      else if (params.lookup_key !== undefined)
        claimLookupKey(context, price, params.lookup_key, params.transfer_lookup_key ?? false);
      emitEvent(context, 'price.updated', price, { previous: previousAttributes(before, price) });
      return price;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/prices',
    params: {
      ...listParams,
      active: boolean(),
      product: string(),
      currency: string(),
      lookup_keys: array(string()),
      type: oneOf(['one_time', 'recurring']),
      recurring: object({ interval: oneOf(['day', 'week', 'month', 'year']) }),
    },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Price>(
          'price',
          (price) =>
            (params.active === undefined || price.active === params.active) &&
            (!params.product || price.product === params.product) &&
            (!params.currency || price.currency === params.currency.toLowerCase()) &&
            (!params.lookup_keys || (price.lookup_key !== null && params.lookup_keys.includes(price.lookup_key))) &&
            (!params.type || price.type === params.type) &&
            (!params.recurring?.interval || price.recurring?.interval === params.recurring.interval),
        ),
        params,
        '/v1/prices',
      ),
  }),
];
