import pg from 'pg';

/**
 * Test schemas on PostgreSQL are dropped before and after the whole run, not by each test file:
 * Kysely's migrator reads the catalogue across all schemas, and a schema dropped by another file
 * at that moment made it fail now and then ("schema t_… does not exist").
 */
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return; // no PostgreSQL here: test/support/db.ts says so (and fails under CI=true)
  }
  try {
    const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like 't\\_%' or nspname like 'bench\\_%'");
    for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<void> {
  await dropTestSchemas();
}

export async function teardown(): Promise<void> {
  await dropTestSchemas();
}
