import { sql, type Kysely } from 'kysely';

/**
 * Adding constraints to tables that already hold data, on both databases. PostgreSQL alters the
 * table in place; SQLite cannot add a constraint to an existing table, so the table is rebuilt the
 * way SQLite's documentation says (a new table with the same columns and every constraint, the rows
 * copied, the old table dropped, the new one renamed, its indexes made again), with foreign keys
 * checked once at the end. The rebuild reads the table's columns and constraints as they are, so
 * columns that later migrations add survive whichever order the migrations ran in.
 *
 * Dialect-specific SQL lives here, not in the migration (see test/dialect-in-db.test.ts).
 */

/** A foreign key that ties a row's school to its parent's: (school_id, column) → parent (school_id, id). */
export type SchoolKey = { column: string; parent: string };
/** A unique key replaced by one that also holds school_id (the old one is found by its columns). */
export type SchoolUnique = { name: string; from: string[]; to: string[] };

export type TableConstraints = {
  table: string;
  /** unique (school_id, id), which child rows' composite foreign keys point at. */
  schoolIdUnique?: boolean;
  schoolKeys?: SchoolKey[];
  uniques?: SchoolUnique[];
  /** CHECK constraints by name: column → the closed set of values it may hold. */
  checks?: Record<string, readonly (string | number)[]>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the database as it was then, not as schema.ts describes it now
type Db = Kysely<any>;

function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const list = (columns: string[]) => columns.map(quote).join(', ');
const literal = (value: string | number) => (typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`);

/** The constraint clauses (shared by both databases) this change adds. */
function newClauses(change: TableConstraints): string[] {
  const { table } = change;
  const clauses: string[] = [];
  if (change.schoolIdUnique) clauses.push(`constraint ${quote(`${table}_school_id_unique`)} unique ("school_id", "id")`);
  for (const unique of change.uniques ?? []) clauses.push(`constraint ${quote(unique.name)} unique (${list(unique.to)})`);
  for (const key of change.schoolKeys ?? []) {
    clauses.push(`constraint ${quote(`${table}_${key.column}_school_fk`)} foreign key ("school_id", ${quote(key.column)}) references ${quote(key.parent)} ("school_id", "id")`);
  }
  for (const [column, values] of Object.entries(change.checks ?? {})) {
    clauses.push(`constraint ${quote(`${table}_${column}_check`)} check (${quote(column)} in (${values.map(literal).join(', ')}))`);
  }
  return clauses;
}

/** Apply every change, parents before children (the order given). */
export async function addSchoolConstraints(db: Db, changes: TableConstraints[]): Promise<void> {
  if (isPostgres(db)) {
    for (const change of changes) await alterPostgres(db, change);
  } else {
    // Foreign keys can only be switched off outside a transaction; the rebuild itself is one transaction.
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await sql`begin immediate`.execute(db);
      try {
        for (const change of changes) await rebuildSqlite(db, change);
        const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(db);
        if (broken.rows.length > 0) throw new Error(`Rows whose school differs from their parent's: ${[...new Set(broken.rows.map((r) => r.table))].join(', ')}`);
        await sql`commit`.execute(db);
      } catch (error) {
        await sql`rollback`.execute(db);
        throw error;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  }
}

async function alterPostgres(db: Db, change: TableConstraints): Promise<void> {
  const { table } = change;
  const constraints = await sql<{ name: string; type: string; columns: string[] }>`
    select c.conname as name, c.contype as type,
      array(select a.attname from unnest(c.conkey) as k(n) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by a.attname)::text[] as columns
    from pg_constraint c where c.conrelid = to_regclass(${quote(table)})`.execute(db);
  const drop = (name: string) => sql.raw(`alter table ${quote(table)} drop constraint ${quote(name)}`).execute(db);
  const sameColumns = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((c, i) => c === [...b].sort()[i]);
  for (const key of change.schoolKeys ?? []) {
    for (const c of constraints.rows) if (c.type === 'f' && sameColumns(c.columns, [key.column])) await drop(c.name);
  }
  for (const unique of change.uniques ?? []) {
    for (const c of constraints.rows) if (c.type === 'u' && sameColumns(c.columns, unique.from)) await drop(c.name);
  }
  // A CHECK given again (a later migration widening a closed set) replaces the one of the same name.
  for (const column of Object.keys(change.checks ?? {})) {
    for (const c of constraints.rows) if (c.type === 'c' && c.name === `${table}_${column}_check`) await drop(c.name);
  }
  const clauses = newClauses(change);
  if (clauses.length > 0) await sql.raw(`alter table ${quote(table)} ${clauses.map((c) => `add ${c}`).join(', ')}`).execute(db);
}

type ColumnInfo = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
type ForeignKeyInfo = { id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string };
type IndexInfo = { name: string; unique: number; origin: string; partial: number };

async function rebuildSqlite(db: Db, change: TableConstraints): Promise<void> {
  const { table } = change;
  const columns = (await sql<ColumnInfo>`select * from pragma_table_info(${table})`.execute(db)).rows;
  if (columns.length === 0) throw new Error(`No table ${table} to add constraints to`);
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const defs = columns.map((c) => {
    let def = `${quote(c.name)} ${c.type.toLowerCase()}`;
    if (pk.length === 1 && c.pk === 1) def += ' primary key';
    // SQLite lets a text primary key hold null (PostgreSQL never does): the rebuilt table says not null.
    if (c.notnull || c.pk > 0) def += ' not null';
    if (c.dflt_value !== null) def += ` default ${c.dflt_value}`;
    return def;
  });
  const clauses: string[] = [];
  if (pk.length > 1) clauses.push(`primary key (${list(pk.map((c) => c.name))})`);

  // Unique keys made with the table (not CREATE INDEX), unless this change replaces them.
  const indexes = (await sql<IndexInfo>`select * from pragma_index_list(${table})`.execute(db)).rows;
  const replaced = (change.uniques ?? []).map((u) => [...u.from].sort().join(','));
  for (const index of indexes.filter((i) => i.origin === 'u')) {
    const cols = (await sql<{ name: string; seqno: number }>`select name, seqno from pragma_index_info(${index.name})`.execute(db)).rows.sort((a, b) => a.seqno - b.seqno).map((r) => r.name);
    if (replaced.includes([...cols].sort().join(','))) continue;
    const named = index.name.startsWith('sqlite_autoindex_') ? '' : `constraint ${quote(index.name)} `;
    clauses.push(`${named}unique (${list(cols)})`);
  }

  // Foreign keys, except single-column ones this change ties to the school.
  const keys = (await sql<ForeignKeyInfo>`select * from pragma_foreign_key_list(${table})`.execute(db)).rows;
  const tied = new Set((change.schoolKeys ?? []).map((k) => k.column));
  const byId = new Map<number, ForeignKeyInfo[]>();
  for (const key of keys) byId.set(key.id, [...(byId.get(key.id) ?? []), key]);
  for (const parts of byId.values()) {
    parts.sort((a, b) => a.seq - b.seq);
    if (parts.length === 1 && tied.has(parts[0]!.from)) continue;
    const to = parts.map((p) => p.to ?? 'id');
    clauses.push(`foreign key (${list(parts.map((p) => p.from))}) references ${quote(parts[0]!.table)} (${list(to)})`);
  }
  // CHECK constraints made earlier are kept by name in the stored SQL.
  const stored = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db)).rows[0]!.sql;
  for (const match of stored.matchAll(/constraint "([^"]+)" check \(((?:[^()]|\([^()]*\))*)\)/g)) {
    if (!Object.keys(change.checks ?? {}).some((column) => match[1] === `${table}_${column}_check`)) clauses.push(match[0]);
  }
  clauses.push(...newClauses(change));

  const kept = (await sql<{ sql: string }>`select sql from sqlite_master where tbl_name = ${table} and type in ('index', 'trigger') and sql is not null`.execute(db)).rows;
  const temp = `${table}__rebuild`;
  await sql.raw(`create table ${quote(temp)} (${[...defs, ...clauses].join(', ')})`).execute(db);
  await sql.raw(`insert into ${quote(temp)} (${list(columns.map((c) => c.name))}) select ${list(columns.map((c) => c.name))} from ${quote(table)}`).execute(db);
  await sql.raw(`drop table ${quote(table)}`).execute(db);
  await sql.raw(`alter table ${quote(temp)} rename to ${quote(table)}`).execute(db);
  for (const row of kept) await sql.raw(row.sql).execute(db);
}

/** Replace an index by one with the same name on other columns (both databases; the WHERE of a partial index as given). */
export async function replaceIndex(db: Db, index: { name: string; table: string; columns: string[]; unique?: boolean; where?: string }): Promise<void> {
  await sql.raw(`drop index ${quote(index.name)}`).execute(db);
  const where = index.where ? ` where ${index.where}` : '';
  await sql.raw(`create ${index.unique ? 'unique ' : ''}index ${quote(index.name)} on ${quote(index.table)} (${list(index.columns)})${where}`).execute(db);
}

/**
 * Every table's columns, keys, foreign keys, CHECKs and indexes as sorted lines, for comparing two
 * databases of the same dialect (a new one and one migrated from an older state): the text differs
 * between dialects, the lines of two equal schemas do not.
 */
export async function describeSchema(db: Db): Promise<string[]> {
  if (isPostgres(db)) {
    const columns = await sql<{ line: string }>`
      select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as line
      from information_schema.columns where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(db);
    const constraints = await sql<{ line: string }>`
      select r.relname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) as line
      from pg_constraint c join pg_class r on r.oid = c.conrelid join pg_namespace n on n.oid = r.relnamespace
      where n.nspname = current_schema() and r.relname not like 'kysely_%'`.execute(db);
    const indexes = await sql<{ line: string }>`select indexdef as line from pg_indexes where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db);
    return [...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => r.line.replaceAll(/\bt_[a-z0-9_]+\./g, '')).sort();
  }
  const lines: string[] = [];
  const tables = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'`.execute(db);
  for (const { name, sql: text } of tables.rows) {
    for (const c of (await sql<ColumnInfo>`select * from pragma_table_info(${name})`.execute(db)).rows)
      lines.push(`${name}.${c.name} ${c.type.toLowerCase()} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
    for (const k of (await sql<ForeignKeyInfo>`select * from pragma_foreign_key_list(${name})`.execute(db)).rows) lines.push(`${name} fk${k.seq} ${k.from} → ${k.table}.${k.to}`);
    for (const i of (await sql<IndexInfo>`select * from pragma_index_list(${name})`.execute(db)).rows) {
      const cols = (await sql<{ name: string; seqno: number }>`select name, seqno from pragma_index_info(${i.name})`.execute(db)).rows.sort((a, b) => a.seqno - b.seqno).map((r) => r.name);
      lines.push(`${name} ${i.origin === 'c' ? i.name : i.origin} unique=${i.unique} partial=${i.partial} (${cols.join(', ')})`);
    }
    for (const match of text.matchAll(/constraint "([^"]+)" check \(((?:[^()]|\([^()]*\))*)\)/g)) lines.push(`${name} ${match[0]}`);
  }
  return lines.sort();
}
