import { sql, type Kysely } from 'kysely';

/**
 * A complaint from a member of the public, taken on, goes through the same formal procedure as a
 * carer's (issue 14, point 5): the investigating officer, the report, the outcome letter, the panel.
 * Its `complaints` row has no child, no carer and no concern record: it points at its
 * `public_complaints` row instead (the complainant's name, email and words). So `concern_id`,
 * `pupil_id` and `carer_id` may be null, and a CHECK keeps every row one or the other.
 *
 * SQLite cannot drop NOT NULL: the table is rebuilt as SQLite's documentation describes (a new table,
 * the rows copied, the old dropped, the new renamed; foreign keys off meanwhile and checked after).
 * Kysely runs SQLite migrations outside a transaction, so the pragma takes effect.
 */
const COMPLAINANT = `("public_complaint_id" is null and "concern_id" is not null and "pupil_id" is not null and "carer_id" is not null) or ("public_complaint_id" is not null and "concern_id" is null and "pupil_id" is null and "carer_id" is null)`;
const PUBLIC_FK = `constraint "complaints_public_complaint_id_school_fk" foreign key ("school_id", "public_complaint_id") references "public_complaints" ("school_id", "id")`;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = !db.getExecutor().adapter.constructor.name.startsWith('Postgres');
  if (sqlite) await rebuildOnSqlite(db);
  else {
    for (const column of ['concern_id', 'pupil_id', 'carer_id']) await sql.raw(`alter table "complaints" alter column "${column}" drop not null`).execute(db);
    await sql.raw(`alter table "complaints" add column "public_complaint_id" text`).execute(db);
    await sql.raw(`alter table "complaints" add ${PUBLIC_FK}`).execute(db);
    await sql.raw(`alter table "complaints" add constraint "complaints_complainant_check" check (${COMPLAINANT})`).execute(db);
  }
  // One formal case per public complaint (several nulls are allowed on both databases).
  await db.schema.createIndex('complaints_one_per_public').on('complaints').columns(['school_id', 'public_complaint_id']).unique().execute();
  // Public complaints already taken on become cases (the public complaint's id serves as the case's: it is random and unused there).
  await sql`
    insert into "complaints" ("id", "school_id", "public_complaint_id", "stage", "made_by_kind", "made_by_staff", "received_on", "counts_from",
      "acknowledge_by", "respond_by", "last_incident_on", "late", "created_at", "updated_at", "status", "about", "direct")
    select "id", "school_id", "id", 'stage_1', 'staff', "decided_by", "received_on", "received_on",
      "acknowledge_by", "respond_by", "received_on", 0, coalesce("decided_at", "created_at"), coalesce("decided_at", "updated_at"), 'open', 'matter', 1
    from "public_complaints" where "status" = 'accepted'`.execute(db);
}

async function rebuildOnSqlite(db: Kysely<any>): Promise<void> {
  const found = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'complaints'`.execute(db);
  const create = found.rows[0]!.sql;
  let next = create.replace(/^CREATE TABLE "complaints"/, 'CREATE TABLE "complaints_rebuilt"');
  for (const column of ['concern_id', 'pupil_id', 'carer_id']) {
    const before = next;
    next = next.replace(`"${column}" text not null,`, `"${column}" text,`);
    if (next === before) throw new Error(`0028: complaints.${column} is not as 0012 made it`);
  }
  // The new column last among the columns (the rows are copied with it at the end), the constraints after.
  const firstConstraint = next.indexOf(', constraint ');
  if (firstConstraint < 0) throw new Error('0028: complaints has no table constraints, unlike 0012');
  next = `${next.slice(0, firstConstraint)}, "public_complaint_id" text${next.slice(firstConstraint, -1)}, ${PUBLIC_FK}, constraint "complaints_complainant_check" check (${COMPLAINANT}))`;
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'complaints' and sql is not null`.execute(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    await sql.raw(next).execute(db);
    await sql`insert into "complaints_rebuilt" select *, null from "complaints"`.execute(db);
    await sql`drop table "complaints"`.execute(db);
    await sql`alter table "complaints_rebuilt" rename to "complaints"`.execute(db);
    for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
    const broken = await sql`pragma foreign_key_check`.execute(db);
    if (broken.rows.length) throw new Error(`0028: foreign keys broken by the rebuild: ${JSON.stringify(broken.rows.slice(0, 3))}`);
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
