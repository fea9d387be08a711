import type { AccountChange, AccountChanges } from '../../../src/shared/database/account-changes';

/** An account change feed the test drives by hand: live until told otherwise, one listener. */
export class FakeFeed implements AccountChanges {
  live = true;
  private listener: (change: AccountChange) => void = () => undefined;
  subscribe(listener: (change: AccountChange) => void) {
    this.listener = listener;
    return () => undefined;
  }
  emit(change: AccountChange) {
    this.listener(change);
  }
  changed(...accountIds: string[]) {
    this.emit({ kind: 'accounts', accountIds });
  }
  reset() {
    this.emit({ kind: 'reset' });
  }
}
