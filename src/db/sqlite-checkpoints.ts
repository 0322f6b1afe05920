import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite in WAL mode appends each commit to the write-ahead log and, every thousand pages or so,
 * copies the log back into the database file and syncs it to disk (a checkpoint). Done by the
 * connection that commits, that copy blocked the server for 15 to 20 ms at a time during a booking
 * rush (about one commit in thirty). So the server's own connection never checkpoints: a worker
 * thread with its own connection does, every `everyMs`, in PASSIVE mode (it never stops a writer).
 * Should the worker fail, the server's connection goes back to checkpointing for itself.
 */
export type Checkpointer = { stop: () => void };

const require = createRequire(import.meta.url);

// The worker is plain CommonJS run from this string, so it needs no TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export function checkpointInBackground(sqlite: { pragma(source: string): unknown }, path: string, everyMs = 1000): Checkpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), path, everyMs } });
  worker.unref();
  let stopped = false;
  const fallBack = () => {
    if (!stopped) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    stop: () => {
      stopped = true;
      worker.postMessage('stop');
    },
  };
}
