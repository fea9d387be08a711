/**
 * A change that continues on another page (Checkout, a 3-D Secure redirect) is remembered for the
 * tab, so the widget can follow it to its outcome when the customer comes back.
 */
const KEY = 'tierlift:pending-change';

export function rememberPendingChange(operationId: string): void {
  try {
    sessionStorage.setItem(KEY, operationId);
  } catch {
    // Storage may be off (private mode, sandboxed frames): the change still completes server-side.
  }
}

export function takePendingChange(): string | null {
  try {
    const id = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return id;
  } catch {
    return null;
  }
}
