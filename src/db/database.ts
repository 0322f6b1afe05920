import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, SqliteDialect, type LogEvent, type Migration, type MigrationProvider, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.ts';
import { checkpointInBackground } from './sqlite-checkpoints.ts';
import { proveWritable, sqliteCannotWrite, survivePoolErrors } from './faults.ts';
import { countPoolWait, countQuery } from './stats.ts';
import { nameKeptStatements, nameKeptStatementsOn } from './kept-plans.ts';
import { pipelinedReads } from './pipelined-reads.ts';
import { SearchPathPostgresDialect } from './search-path-introspector.ts';

import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_outbox.ts';
import * as m0003 from './migrations/0003_messages.ts';
import * as m0004 from './migrations/0004_meetings.ts';
import * as m0005 from './migrations/0005_signin.ts';
import * as m0007 from './migrations/0007_mobile_only.ts';
import * as m0008 from './migrations/0008_tenancy.ts';
import * as m0009 from './migrations/0009_imports.ts';
import * as m0010 from './migrations/0010_sms.ts';
import * as m0011 from './migrations/0011_outbox.ts';
import * as m0012 from './migrations/0012_concerns.ts';
import * as m0013 from './migrations/0013_languages.ts';
import * as m0014 from './migrations/0014_complaints.ts';
import * as m0015 from './migrations/0015_conduct.ts';
import * as m0016 from './migrations/0016_surveys.ts';
import * as m0017 from './migrations/0017_consultations.ts';
import * as m0018 from './migrations/0018_agreements.ts';
import * as m0019 from './migrations/0019_profiles.ts';
import * as m0020 from './migrations/0020_community.ts';
import * as m0021 from './migrations/0021_events.ts';
import * as m0022 from './migrations/0022_public_complaints.ts';
import * as m0023 from './migrations/0023_consultation_files.ts';
import * as m0025 from './migrations/0025_survey_results_indexes.ts';
import * as m0026 from './migrations/0026_carer_home_indexes.ts';
import * as m0028 from './migrations/0028_public_complaint_cases.ts';
import * as m0031 from './migrations/0031_public_complaints_whole.ts';
import * as m0033 from './migrations/0033_booking_free_times_index.ts';
import * as m0035 from './migrations/0035_buddy_match_withdrawn.ts';
import * as m0036 from './migrations/0036_contact_no_answer.ts';
import * as m0037 from './migrations/0037_outbox_channel_due.ts';
import * as m0038 from './migrations/0038_carer_action_done.ts';
import * as m0039 from './migrations/0039_buddy_match_ended_by_family.ts';
import * as m0040 from './migrations/0040_evening_booking_moves.ts';
import * as m0041 from './migrations/0041_agenda_emails_ref.ts';
import * as m0042 from './migrations/0042_growing_tables_indexes.ts';
import * as m0043 from './migrations/0043_evidence_indexes.ts';
import * as m0044 from './migrations/0044_carer_action_progress.ts';
import * as m0045 from './migrations/0045_family_actions_index.ts';
import * as m0046 from './migrations/0046_contact_safeguarding.ts';
import * as m0047 from './migrations/0047_meeting_interpreter_by.ts';
import * as m0048 from './migrations/0048_evening_needs.ts';
import * as m0049 from './migrations/0049_dsl_reports.ts';
import * as m0050 from './migrations/0050_meeting_safeguarding_marks.ts';
import * as m0051 from './migrations/0051_translating_volunteers.ts';
import * as m0052 from './migrations/0052_dsl_report_quotes.ts';
import * as m0053 from './migrations/0053_attendance.ts';
import * as m0054 from './migrations/0054_subject_access.ts';
import * as m0055 from './migrations/0055_dsl_report_staff_quotes.ts';
import * as m0056 from './migrations/0056_meeting_purpose.ts';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';
export type DatabaseTarget =
  | { kind: 'sqlite'; path: string; checkpointEveryMs?: number }
  /** `applicationName`: how the connections show in pg_stat_activity (default "gatepost"). */
  | { kind: 'postgres'; url: string; searchPath?: string; applicationName?: string; poolSize?: number };

/** Migrations in order; a new migration is one import and one line here. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_foundation': m0001,
  '0002_outbox': m0002,
  '0003_messages': m0003,
  '0004_meetings': m0004,
  '0005_signin': m0005,
  '0007_mobile_only': m0007,
  '0008_tenancy': m0008,
  '0009_imports': m0009,
  '0010_sms': m0010,
  '0011_outbox': m0011,
  '0012_concerns': m0012,
  '0013_languages': m0013,
  '0014_complaints': m0014,
  '0015_conduct': m0015,
  '0016_surveys': m0016,
  '0017_consultations': m0017,
  '0018_agreements': m0018,
  '0019_profiles': m0019,
  '0020_community': m0020,
  '0021_events': m0021,
  '0022_public_complaints': m0022,
  '0023_consultation_files': m0023,
  '0025_survey_results_indexes': m0025,
  '0026_carer_home_indexes': m0026,
  '0028_public_complaint_cases': m0028,
  '0031_public_complaints_whole': m0031,
  '0033_booking_free_times_index': m0033,
  '0035_buddy_match_withdrawn': m0035,
  '0036_contact_no_answer': m0036,
  '0037_outbox_channel_due': m0037,
  '0038_carer_action_done': m0038,
  '0039_buddy_match_ended_by_family': m0039,
  '0040_evening_booking_moves': m0040,
  '0041_agenda_emails_ref': m0041,
  '0042_growing_tables_indexes': m0042,
  '0043_evidence_indexes': m0043,
  '0044_carer_action_progress': m0044,
  '0045_family_actions_index': m0045,
  '0046_contact_safeguarding': m0046,
  '0047_meeting_interpreter_by': m0047,
  '0048_evening_needs': m0048,
  '0049_dsl_reports': m0049,
  '0050_meeting_safeguarding_marks': m0050,
  '0051_translating_volunteers': m0051,
  '0052_dsl_report_quotes': m0052,
  '0053_attendance': m0053,
  '0054_subject_access': m0054,
  '0055_dsl_report_staff_quotes': m0055,
  '0056_meeting_purpose': m0056,
};

class StaticMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...MIGRATIONS };
  }
}

export type OpenDatabase = { db: Db; dialect: Dialect; schema?: string; close: () => Promise<void> };

/** A Kysely instance for SQLite (file path or ':memory:') or PostgreSQL (URL). */
export function openDatabase(target: DatabaseTarget): OpenDatabase {
  if (target.kind === 'sqlite') {
    let sqlite: SQLite.Database;
    try {
      if (target.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(target.path)), { recursive: true });
      sqlite = new SQLite(target.path);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('cache_size = -65536');
      if (target.path !== ':memory:') proveWritable(sqlite);
    } catch (error) {
      throw sqliteCannotWrite(target.path, error);
    }
    const checkpoints = target.path === ':memory:' ? null : checkpointInBackground(sqlite, target.path, target.checkpointEveryMs);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, () => checkpoints?.stop()) }), log: counted });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // Keep connections, idle or not (node-postgres closes them after 10 idle seconds by default): a new
    // PostgreSQL connection plans its first queries 20 to 50 times slower while it loads the
    // catalogue, so a rush after a pause, or after the warm-up, started on cold connections.
    idleTimeoutMillis: 0,
    application_name: target.applicationName ?? 'gatepost',
    // Pipelined, so a transaction's `begin` is written with its first statement (pipelined-reads.ts).
    pipeline: true,
    ...(target.searchPath ? { options: `-c search_path=${target.searchPath}` } : {}),
  });
  survivePoolErrors(pool);
  nameKeptStatements(pool);
  timePoolWaits(pool);
  // Reads outside transactions share two pipelined connections (pipelined-reads.ts): carer-home on
  // PostgreSQL went from 471–574 to 941–1,111 pages/s (one shared: about 710; four: no better).
  const reads = pipelinedReads(pool, {
    connections: 2,
    onConnect: (client) => {
      client.on('error', () => undefined); // seen by the queries it cut short
      nameKeptStatementsOn(client);
    },
  });
  const db = new Kysely<Database>({ dialect: new SearchPathPostgresDialect({ pool: reads }), log: counted });
  return { db, dialect: 'postgres', schema: target.searchPath, close: () => db.destroy() };
}

/** Every query counted with its time (src/db/stats.ts: what the benchmarks print as queries per page). */
const counted = (event: LogEvent) => countQuery(event.queryDurationMillis, event.query.sql);

/** How long each request for a pooled connection waited (the pool's ten are all busy: the wait is the queue). */
function timePoolWaits(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const started = performance.now();
    const client = await connect();
    countPoolWait(performance.now() - started);
    return client;
  };
}

/**
 * better-sqlite3 compiles each SQL text when it is prepared; Kysely prepares on every query. Keeping
 * the compiled statements (queries repeat, with parameters) saved about a tenth of a page's CPU.
 */
function withStatementCache(sqlite: SQLite.Database, beforeClose: () => void): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= 1000) cache.clear();
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close: () => {
      beforeClose();
      sqlite.close();
    },
  };
}

/**
 * Run pending migrations. `schema`: the PostgreSQL schema in use when it is not the default.
 * Numbers are handed out to work done side by side, so a database may already have a later
 * migration than one added now (0008 after 0011): pending ones run in order after those done, and
 * each migration is written to work whichever of its neighbours ran first.
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrations(), allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (failed) throw new Error(`Migration ${failed.migrationName} failed: ${String(error)}`, { cause: error });
  if (error) throw new Error(`Migrations could not run: ${error instanceof Error && error.message ? error.message : String(error)}`, { cause: error });
}

/** True when the error is a unique-key violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
