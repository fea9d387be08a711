import { emitEvent } from '../emulator-context';
import { mergeMetadata } from '../metadata';
import { paginate } from '../http/list-response';
import { array, boolean, emptyable, metadata, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId } from '../ids';
import { cloneJson, previousAttributes } from '../previous-attributes';
import type { Metadata, Product } from '../resource-types';
import { invalidRequest } from '../stripe-error';

const editable = {
  active: boolean(),
  description: emptyable(string()),
  metadata: emptyable(metadata()),
  unit_label: emptyable(string()),
  url: emptyable(string()),
  images: array(string()),
};

export const productRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/products',
    params: { ...editable, name: required(string()), id: string() },
    handle: ({ context, params }) => {
      if (params.id && context.store.get(params.id))
        throw invalidRequest('Product already exists.', { code: 'resource_already_exists', param: 'id' });
      const now = context.realNow();
      const product: Product = {
        id: params.id ?? newId('prod'),
        object: 'product',
        active: params.active ?? true,
        created: now,
        default_price: null,
        description: params.description ?? null,
        images: params.images ?? [],
        livemode: false,
        marketing_features: [],
        metadata: params.metadata ?? {},
        name: params.name,
        package_dimensions: null,
        shippable: null,
        statement_descriptor: null,
        tax_code: null,
        type: 'service',
        unit_label: params.unit_label ?? null,
        updated: now,
        url: params.url ?? null,
      };
      context.store.insert(product);
      emitEvent(context, 'product.created', product);
      return product;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/products/:id',
    params: {},
    handle: ({ context, path }) => context.store.require<Product>('product', path.id ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/products/:id',
    params: { ...editable, name: string() },
    handle: ({ context, params, path }) => {
      const product = context.store.require<Product>('product', path.id ?? '');
      const before = cloneJson(product);
      const { metadata: newMetadata, ...rest } = params;
      Object.assign(product, Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'expand')));
      if (newMetadata !== undefined) product.metadata = mergeMetadata(product.metadata as Metadata, newMetadata);
      product.updated = context.realNow();
      emitEvent(context, 'product.updated', product, { previous: previousAttributes(before, product) });
      return product;
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/products/:id',
    params: {},
    handle: ({ context, path }) => {
      const product = context.store.require<Product>('product', path.id ?? '');
      if (context.store.all('price', (price) => price.product === product.id).length > 0) {
        throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', {
          code: 'product_has_prices',
        });
      }
      emitEvent(context, 'product.deleted', product);
      product.deleted = true;
      return { id: product.id, object: 'product', deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/products',
    params: { ...listParams, active: boolean(), ids: array(string()) },
    handle: ({ context, params }) =>
      paginate(
        context.store.all<Product>(
          'product',
          (product) =>
            (params.active === undefined || product.active === params.active) &&
            (!params.ids || params.ids.includes(product.id)),
        ),
        params,
        '/v1/products',
      ),
  }),
];
