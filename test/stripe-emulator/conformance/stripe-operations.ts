import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * One Stripe API operation as the installed `stripe` SDK declares it: its HTTP method and path
 * (from the generated resource .js), its request parameter type and its response type (from the
 * generated .d.ts, which Stripe generates from its OpenAPI document for the pinned API version).
 */
export interface StripeOperation {
  /** e.g. `subscriptions.update` */
  name: string;
  method: string;
  /** e.g. `/v1/subscriptions/{}` */
  template: string;
  pattern: RegExp;
  /** Number of `{}` segments: fewer is more specific (`/v1/invoices/create_preview` before `/v1/invoices/{}`). */
  wildcards: number;
  params: ts.Type | null;
  response: ts.Type | null;
  /** `list` for ApiListPromise<T>, `search_result` for ApiSearchResultPromise<T>. */
  envelope: 'list' | 'search_result' | null;
}

export interface StripeSchema {
  checker: ts.TypeChecker;
  operations: StripeOperation[];
  /** Operation answering `method path`, the most specific first. */
  operationFor(method: string, requestPath: string): StripeOperation | undefined;
}

const RESOURCES = path.join(path.dirname(require.resolve('stripe')), 'resources');

function declarationFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(full);
    return entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts' ? [full] : [];
  });
}

/** `update(id, params, options) { return this._makeRequest('POST', `/v1/x/${...}`` → update: POST /v1/x/{} */
function routesOf(jsFile: string): Map<string, { method: string; template: string }> {
  const routes = new Map<string, { method: string; template: string }>();
  if (!fs.existsSync(jsFile)) return routes;
  const source = fs.readFileSync(jsFile, 'utf8');
  const pattern = /\n {4}(\w+)\([^)]*\) \{\s*return this\._makeRequest\('(\w+)', [`'](\/v1\/[^`']*)[`']/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(source)) !== null) {
    const [, name, method, template] = match as unknown as [string, string, string, string];
    routes.set(name, { method, template: template.replace(/\$\{[^}]*\}/g, '{}') });
  }
  return routes;
}

function resourceName(file: string): string {
  const relative = path.relative(RESOURCES, file).replace(/\.d\.ts$/, '');
  return relative
    .split(path.sep)
    .map((part) => part.charAt(0).toLowerCase() + part.slice(1))
    .join('.');
}

function unwrapResponse(checker: ts.TypeChecker, node: ts.TypeNode | undefined) {
  if (!node || !ts.isTypeReferenceNode(node)) return { response: null, envelope: null };
  const outer = node.typeName.getText();
  const argument = node.typeArguments?.[0];
  if (!argument) return { response: null, envelope: null };
  if (outer === 'ApiListPromise') return { response: checker.getTypeFromTypeNode(argument), envelope: 'list' as const };
  if (outer === 'ApiSearchResultPromise')
    return { response: checker.getTypeFromTypeNode(argument), envelope: 'search_result' as const };
  if (outer === 'Promise' && ts.isTypeReferenceNode(argument) && argument.typeArguments?.[0])
    return { response: checker.getTypeFromTypeNode(argument.typeArguments[0]), envelope: null };
  return { response: null, envelope: null };
}

/** Reads every resource class of the installed SDK with the TypeScript compiler. */
export function loadStripeSchema(): StripeSchema {
  const files = declarationFiles(RESOURCES);
  const program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [], strict: true });
  const checker = program.getTypeChecker();
  const operations: StripeOperation[] = [];
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) continue;
    const routes = routesOf(file.replace(/\.d\.ts$/, '.js'));
    const resource = resourceName(file);
    for (const statement of sourceFile.statements) {
      if (!ts.isClassDeclaration(statement)) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !member.name) continue;
        const name = member.name.getText(sourceFile);
        const route = routes.get(name);
        if (!route) continue;
        const paramsNode = member.parameters.find((parameter) => parameter.name.getText(sourceFile) === 'params');
        const params = paramsNode?.type ? checker.getTypeFromTypeNode(paramsNode.type) : null;
        const escaped = route.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        operations.push({
          name: `${resource}.${name}`,
          method: route.method,
          template: route.template,
          pattern: new RegExp(`^${escaped.replace(/\{\}/g, '[^/]+')}$`),
          wildcards: route.template.split('{}').length - 1,
          params,
          ...unwrapResponse(checker, member.type),
        });
      }
    }
  }
  operations.sort((a, b) => a.wildcards - b.wildcards);
  return {
    checker,
    operations,
    operationFor: (method, requestPath) =>
      operations.find((operation) => operation.method === method && operation.pattern.test(requestPath)),
  };
}
