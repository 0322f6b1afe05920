/**
 * `npm run restore -- <backup file> [--replace]`: put a backup made by `npm run backup` into the
 * database configured as for `npm start` (DATABASE_URL, or SQLITE_PATH). Stop Gatepost first. A
 * database that already holds Gatepost is only overwritten with --replace.
 */
import { readConfig } from '../src/config.ts';
import { restoreDatabase } from '../src/db/backup.ts';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('Say which backup to restore: npm run restore -- backups/gatepost-….sqlite (or .dump) [--replace]');
  process.exit(1);
}
try {
  const config = readConfig();
  await restoreDatabase(config.database, file, { replace: args.includes('--replace') });
  console.log(`Restored ${file} into the ${config.database.kind === 'sqlite' ? `SQLite database ${config.database.path}` : 'PostgreSQL database in DATABASE_URL'}. Start Gatepost again.`);
} catch (error) {
  console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
