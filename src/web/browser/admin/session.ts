/** The admin key lives in this tab's sessionStorage only: closing the tab forgets it. */
const KEY = 'tierlift.admin-key';

export function storedKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  window.sessionStorage.setItem(KEY, key);
}

export function forgetKey(): void {
  window.sessionStorage.removeItem(KEY);
}
