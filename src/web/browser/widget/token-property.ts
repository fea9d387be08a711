/**
 * `element.getToken` as an accessor on the instance: setting it at any time (before or after the
 * element is upgraded, before or after it is connected) makes the element fetch with it, no
 * `refresh()` needed. NOTE: a value set before the class was defined (the tag was parsed before the
 * script ran) is an own data property of the very same object: it is taken over, not lost.
 */
export function tokenProperty(element: HTMLElement, changed: () => void): void {
  const own = Object.getOwnPropertyDescriptor(element, 'getToken');
  let getter = typeof own?.value === 'function' ? (own.value as () => Promise<string>) : undefined;
  Object.defineProperty(element, 'getToken', {
    configurable: true,
    enumerable: true,
    get: () => getter,
    set: (value: unknown) => {
      getter = typeof value === 'function' ? (value as () => Promise<string>) : undefined;
      if (element.isConnected) changed();
    },
  });
}

/** Work that needs a token and waits for one: `until(hasToken)` resolves once `ready()` is called. */
export class TokenWait {
  private waiters: Array<() => void> = [];

  until(hasToken: boolean): Promise<void> {
    if (hasToken) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  ready(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
