/** Small DOM helpers: build elements and accessible tables without a framework or innerHTML. */
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export interface Column {
  label: string;
  /** Numbers are right-aligned so that digits line up. */
  numeric?: boolean;
}

/**
 * A data table with a caption and column headers; the first cell of each row is its row header,
 * so a screen reader announces "Variant b, Rate 4.0%" rather than a bare number.
 */
export function dataTable(input: {
  caption: string;
  columns: readonly Column[];
  rows: ReadonlyArray<readonly Child[]>;
  empty?: string;
  className?: string;
}): HTMLTableElement {
  const table = h('table', { class: input.className ?? 'data' });
  table.appendChild(h('caption', {}, input.caption));
  const headRow = h('tr');
  for (const column of input.columns)
    headRow.appendChild(h('th', { scope: 'col', class: column.numeric ? 'num' : undefined }, column.label));
  table.appendChild(h('thead', {}, headRow));
  const body = h('tbody');
  if (input.rows.length === 0) {
    body.appendChild(
      h('tr', {}, h('td', { colspan: String(input.columns.length), class: 'empty' }, input.empty ?? 'Nothing yet.')),
    );
  }
  for (const row of input.rows) {
    const tr = h('tr');
    row.forEach((cell, index) => {
      const numeric = input.columns[index]?.numeric ? 'num' : undefined;
      tr.appendChild(index === 0 ? h('th', { scope: 'row', class: numeric }, cell) : h('td', { class: numeric }, cell));
    });
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}

/** A scrollable wrapper that keyboard users can reach and scroll (wide tables on small screens). */
export function scrollable(table: HTMLTableElement, label: string): HTMLElement {
  // NOTE: a region's name must differ from its section's heading (axe: landmark-unique).
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `${label} (table)` }, table);
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}
