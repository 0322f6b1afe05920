import type { Db, Dialect } from './database.ts';

/**
 * Group commit for SQLite. When booking opens, hundreds of carers book within minutes; on SQLite
 * every write transaction runs one at a time and most of its cost is the commit. Bookings that
 * arrive while one batch is being written wait and are written together: one transaction, each
 * booking in its own savepoint (a unique violation rolls back only that carer's savepoint and is
 * reported to them alone), one commit for all. Nobody's booking is answered before it is committed.
 * PostgreSQL runs bookings side by side instead, each in its own transaction.
 */
type Work<T> = (trx: Db) => Promise<T>;
type Job = { work: Work<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

const MAX_BATCH = 64;
const batchers = new WeakMap<Db, (work: Work<unknown>) => Promise<unknown>>();

/** `work` must use only the transaction it is given (the connection is held for the whole batch). */
export function groupCommit<T>(db: Db, work: Work<T>): Promise<T> {
  let run = batchers.get(db);
  if (!run) batchers.set(db, (run = batcher(db)));
  return run(work as Work<unknown>) as Promise<T>;
}

function batcher(db: Db): (work: Work<unknown>) => Promise<unknown> {
  const queue: Job[] = [];
  let scheduled = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        const trx = await db.startTransaction().execute();
        try {
          for (const job of batch) {
            const point = await trx.savepoint('booking').execute();
            try {
              const value = await job.work(point);
              await point.releaseSavepoint('booking').execute();
              outcomes.push({ ok: true, value });
            } catch (error) {
              await point.rollbackToSavepoint('booking').execute();
              await point.releaseSavepoint('booking').execute();
              outcomes.push({ ok: false, error });
            }
          }
          await trx.commit().execute();
        } catch (error) {
          await trx
            .rollback()
            .execute()
            .catch(() => undefined);
          throw error;
        }
      } catch (error) {
        for (const job of batch) job.reject(error);
        continue;
      }
      batch.forEach((job, i) => {
        const o = outcomes[i]!;
        if (o.ok) job.resolve(o.value);
        else job.reject(o.error);
      });
    }
    scheduled = false;
  }

  return (work) =>
    new Promise((resolve, reject) => {
      queue.push({ work, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // Let the requests already under way finish their reads and join this batch.
        setImmediate(() => void drain());
      }
    });
}

/**
 * A write transaction for work that arrives many at once (a booking rush): on SQLite it joins the
 * next group commit (each `work` in its own savepoint, see above); on PostgreSQL it is a transaction
 * of its own, run side by side with the others.
 */
export function writeTransaction<T>(db: Db, dialect: Dialect, work: Work<T>): Promise<T> {
  return dialect === 'sqlite' ? groupCommit(db, work) : db.transaction().execute(work);
}
