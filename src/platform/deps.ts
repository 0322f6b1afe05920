import type { Config } from '../config.ts';
import type { Db, Dialect } from '../db/database.ts';
import type { Clock } from './calendar/time.ts';
import type { Mailer } from './channels/email.ts';

/** Wakes the outbox worker after a transaction that enqueued sends has committed. */
export type OutboxPoke = () => void;

/** What every feature's routes receive. */
export type FeatureDeps = { db: Db; dialect: Dialect; config: Config; mailer: Mailer; clock: Clock; pokeOutbox: OutboxPoke };
