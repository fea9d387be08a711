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
  /** "tl-state:<schema>": changes to accounts, subscriptions and trials only (AccountStateChangeNotifications). */
  readonly stateChannel: string;
  /**
   * The feed of the state channel alone, live with this one: what an account's usage context is
   * read from, without the usage writes that the general channel also announces.
   */
  readonly accountState: AccountChanges;
  private readonly listeners = new Set<(change: AccountChange) => void>();
  private readonly stateListeners = new Set<(change: AccountChange) => void>();
  private listening = 0;

  constructor(schema: string | undefined) {
    this.channel = `tierlift:${schema ?? 'public'}`;
    this.stateChannel = `tl-state:${schema ?? 'public'}`;
    const live = () => this.live;
    this.accountState = {
      get live() {
        return live();
      },
      subscribe: (listener) => {
        this.stateListeners.add(listener);
        return () => this.stateListeners.delete(listener);
      },
    };
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
      if (!notification.payload) return;
      if (notification.channel === this.channel)
        this.emit(this.listeners, { kind: 'accounts', accountIds: notification.payload.split(',') });
      else if (notification.channel === this.stateChannel)
        this.emit(this.stateListeners, { kind: 'accounts', accountIds: notification.payload.split(',') });
    });
    try {
      // NOTE: one query for both channels: a connection listens to both or (it failed) to neither.
      await client.query(`LISTEN ${quoted(this.channel)}; LISTEN ${quoted(this.stateChannel)}`);
    } catch {
      return;
    }
    this.listening += 1;
    client.once('end', () => {
      this.listening -= 1;
      if (this.listening === 0) {
        this.emit(this.listeners, { kind: 'reset' });
        this.emit(this.stateListeners, { kind: 'reset' });
      }
    });
  };

  private emit(listeners: ReadonlySet<(change: AccountChange) => void>, change: AccountChange): void {
    for (const listener of listeners) listener(change);
  }
}

const quoted = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

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
