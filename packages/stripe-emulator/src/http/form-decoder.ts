/**
 * Decodes Stripe's form encoding (`items[0][price]=x`, `expand[]=y`, `metadata[k]=v`)
 * into nested objects and arrays. Values stay strings; the parameter schema coerces them.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function decodeForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const separator = pair.indexOf('=');
    const rawKey = separator === -1 ? pair : pair.slice(0, separator);
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1);
    assign(root, parseKeyPath(decodeComponent(rawKey)), decodeComponent(rawValue));
  }
  return arrayify(root) as FormObject;
}

function decodeComponent(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** `a[b][0][]` → ['a', 'b', '0', ''] */
function parseKeyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const segments = [key.slice(0, open)];
  const pattern = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(key.slice(open))) !== null) segments.push(match[1] ?? '');
  return segments;
}

/** Builds with plain objects; `[]` appends under a synthetic numeric key. */
function assign(target: FormObject, path: string[], value: string): void {
  let node: FormObject = target;
  path.forEach((segment, index) => {
    const key = segment === '' ? String(Object.keys(node).length) : segment;
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const existing = node[key];
    if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) node[key] = {};
    node = node[key] as FormObject;
  });
}

/** Objects whose keys are all integers become arrays, ordered by index. */
function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const key of keys) converted[key] = arrayify(value[key] as FormValue);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => converted[key] as FormValue);
  }
  return converted;
}
