import type { ClientBase, Notification } from 'pg';
import type { DataSource } from 'typeorm';

export type AccountChange = { kind: 'accounts'; accountIds: readonly string[] } | { kind: 'reset' };

/** What a cache of account state needs from the feed. */
export interface AccountChanges {
  /** True while a connection listens: no committed change can go unheard. */
  readonly live: boolean;
  subscribe(listener: (change: AccountChange) => void): () => void;
}

/**
 * Committed changes to accounts' state, as the database's triggers announce them on
 * "tierlift:<schema>" (migration AccountChangeNotifications), heard on every pool connection.
 *
 * NOTE: every connection listens, not one dedicated listener, because PostgreSQL hands a session
 * its own notifications before it reports the COMMIT done: a write through this pool has reached
 * the subscribers before the writer's query resolves, so a response sent after a write never races
 * its invalidation. Changes committed by other instances arrive on any idle connection moments
 * after their commit. While no connection listens (the pool emptied or lost its connections) the
 * feed is not live and subscribers hear a reset, since changes may be going unheard.
 */
export class AccountChangeFeed implements AccountChanges {
  readonly channel: string;
  private readonly listeners = new Set<(change: AccountChange) => void>();
  private listening = 0;

  constructor(schema: string | undefined) {
    this.channel = `tierlift:${schema ?? 'public'}`;
  }

  get live(): boolean {
    return this.listening > 0;
  }

  subscribe(listener: (change: AccountChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** pg-pool's onConnect hook: runs before a new connection's first query. A failed LISTEN leaves the feed as it was. */
  readonly attach = async (client: ClientBase): Promise<void> => {
    client.on('notification', (notification: Notification) => {
      if (notification.channel !== this.channel || !notification.payload) return;
      this.emit({ kind: 'accounts', accountIds: notification.payload.split(',') });
    });
    try {
      await client.query(`LISTEN "${this.channel.replaceAll('"', '""')}"`);
    } catch {
      return;
    }
    this.listening += 1;
    client.once('end', () => {
      this.listening -= 1;
      if (this.listening === 0) this.emit({ kind: 'reset' });
    });
  };

  private emit(change: AccountChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

const feeds = new WeakMap<DataSource, AccountChangeFeed>();

export function registerAccountChanges(dataSource: DataSource, feed: AccountChangeFeed): void {
  feeds.set(dataSource, feed);
}

/** The feed of a DataSource made by buildDataSource. */
export function accountChangesOf(dataSource: DataSource): AccountChangeFeed {
  const feed = feeds.get(dataSource);
  if (!feed) throw new Error('this DataSource was not made by buildDataSource: it has no account change feed');
  return feed;
}
