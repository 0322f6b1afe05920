import { sql, type Kysely } from 'kysely';

/**
 * A complaint from the public form, treated as a carer's is (issue 14):
 * - public_complaints.last_incident_on: the date of the last incident, asked on the form, so a complaint
 *   made more than three months after it is flagged for a decision (null for complaints made before).
 * - public_complaints.about_head: the complaint is about the head, so it goes to whoever the settings
 *   name (the chair of governors), not to the head.
 * - public_complaints.safeguarding: the complainant's words are marked as safeguarding (platform/safeguarding):
 *   only the DSL and deputies read them.
 * - complaint_events.kind gains 'taken_on': the case's timeline starts with the public complaint taken on.
 * - complaint_closures.carer_id may be null: a public complainant's complaint closed as serial or
 *   vexatious has no carer (the complaint names its public complaint).
 *
 * SQLite cannot change a CHECK or drop NOT NULL: those two tables are rebuilt as 0028 rebuilt complaints
 * (a new table, the rows copied, the old dropped, the new renamed; foreign keys off meanwhile, checked after).
 */
const FLAG = sql`in (0, 1)`;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = !db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  await db.schema.alterTable('public_complaints').addColumn('last_incident_on', 'text').execute();
  await db.schema
    .alterTable('public_complaints')
    .addColumn('about_head', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`"about_head" ${FLAG}`),
    )
    .execute();
  await db.schema
    .alterTable('public_complaints')
    .addColumn('safeguarding', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`"safeguarding" ${FLAG}`),
    )
    .execute();
  if (sqlite) {
    await rebuildOnSqlite(db, 'complaint_events', (create) => withTakenOn(create));
    await rebuildOnSqlite(db, 'complaint_closures', (create) => replaceOnce(create, '"carer_id" text not null,', '"carer_id" text,'));
    return;
  }
  const check = await sql<{ def: string }>`
    select pg_get_constraintdef(c.oid) as def from pg_constraint c
    join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
    where c.conname = 'complaint_events_kind_check' and n.nspname = current_schema()`.execute(db);
  const kinds = [...check.rows[0]!.def.matchAll(/'([a-z_0-9]+)'/g)].map((m) => m[1]!);
  if (!kinds.includes('taken_on')) kinds.push('taken_on');
  await sql`alter table "complaint_events" drop constraint "complaint_events_kind_check"`.execute(db);
  await sql.raw(`alter table "complaint_events" add constraint "complaint_events_kind_check" check ("kind" in (${kinds.map((k) => `'${k}'`).join(', ')}))`).execute(db);
  await sql`alter table "complaint_closures" alter column "carer_id" drop not null`.execute(db);
}

/** The kinds CHECK as it stands, with 'taken_on' added (whatever other kinds later migrations gave it). */
function withTakenOn(create: string): string {
  const start = '"kind" in (';
  const at = create.indexOf(start, create.indexOf('complaint_events_kind_check'));
  if (at < 0) throw new Error('0031: complaint_events has no kind check, unlike 0014');
  if (create.includes("'taken_on'")) return create;
  return `${create.slice(0, at + start.length)}'taken_on', ${create.slice(at + start.length)}`;
}

function replaceOnce(create: string, from: string, to: string): string {
  if (!create.includes(from)) throw new Error(`0031: expected ${from} in ${create.slice(0, 60)}…`);
  return create.replace(from, to);
}

async function rebuildOnSqlite(db: Kysely<any>, table: string, change: (create: string) => string): Promise<void> {
  const found = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const rebuilt = `${table}_rebuilt`;
  const next = change(found.rows[0]!.sql).replace(new RegExp(`^CREATE TABLE "?${table}"?`), `CREATE TABLE "${rebuilt}"`);
  if (!next.startsWith(`CREATE TABLE "${rebuilt}"`)) throw new Error(`0031: could not rename ${table} for its rebuild`);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    await sql.raw(next).execute(db);
    await sql.raw(`insert into "${rebuilt}" select * from "${table}"`).execute(db);
    await sql.raw(`drop table "${table}"`).execute(db);
    await sql.raw(`alter table "${rebuilt}" rename to "${table}"`).execute(db);
    for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
    const broken = await sql`pragma foreign_key_check`.execute(db);
    if (broken.rows.length) throw new Error(`0031: foreign keys broken by the rebuild of ${table}: ${JSON.stringify(broken.rows.slice(0, 3))}`);
    await sql`commit`.execute(db);
  } catch (error) {
    await sql`rollback`.execute(db).catch(() => undefined);
    throw error;
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
