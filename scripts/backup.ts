/**
 * `npm run backup [-- file]`: a consistent copy of Gatepost's database while it runs (the database
 * configured as for `npm start`: DATABASE_URL, or SQLITE_PATH). Without a file name the backup goes
 * to backups/gatepost-<date and time>.sqlite (SQLite) or .dump (PostgreSQL, pg_dump's custom format).
 */
import fs from 'node:fs';
import { readConfig } from '../src/config.ts';
import { backupDatabase } from '../src/db/backup.ts';

try {
  const config = readConfig();
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const file = process.argv[2] ?? `backups/gatepost-${stamp}.${config.database.kind === 'sqlite' ? 'sqlite' : 'dump'}`;
  const started = Date.now();
  await backupDatabase(config.database, file);
  const mb = fs.statSync(file).size / 1e6;
  console.log(`Backed up the ${config.database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database to ${file} (${mb.toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s).`);
  console.log('It holds pupils’ and families’ records: keep it encrypted, off this server, and try restoring one each term.');
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
