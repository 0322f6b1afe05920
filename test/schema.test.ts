import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentSchema, dialects, openTestDb, type TestDb } from './support/db.ts';

/**
 * Guard the schema: the tables the migrations build are the ones `src/db/schema.ts` describes —
 * the same tables, the same columns, and a column may hold null exactly when its type says
 * `| null` — on both databases. A migration without its schema.ts change (or the other way
 * round) fails here.
 */

type Columns = Record<string, Record<string, 'null' | 'not null'>>;

/** Tables and columns as schema.ts declares them: `Database` maps table names to interfaces. */
function declared(): Columns {
  const file = path.resolve(import.meta.dirname, '../src/db/schema.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const nullable = (type: ts.TypeNode | undefined): boolean => !!type && ts.isUnionTypeNode(type) && type.types.some((t) => ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword);
  const result: Columns = {};
  for (const member of interfaces.get('Database')!.members) {
    if (!ts.isPropertySignature(member) || !member.type || !ts.isTypeReferenceNode(member.type)) continue;
    const table = (member.name as ts.Identifier).text;
    const shape = interfaces.get(member.type.typeName.getText(source));
    if (!shape) throw new Error(`schema.ts: ${table} names an interface that is not in the file`);
    result[table] = {};
    for (const column of shape.members) {
      if (!ts.isPropertySignature(column)) continue;
      result[table][(column.name as ts.Identifier).text] = nullable(column.type) ? 'null' : 'not null';
    }
  }
  return result;
}

describe.each(dialects)('the schema the migrations build, on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterAll(async () => t?.close());

  it('is the schema src/db/schema.ts describes: tables, columns, nullability', async () => {
    const built: Columns = {};
    // Only this test's own tables: on PostgreSQL other test files' schemas are listed too, and one
    // made by another version of the code (a branch, an older run) may have other tables.
    const schema = await currentSchema(t.db);
    for (const table of await t.db.introspection.getTables()) {
      if (table.name.startsWith('kysely_') || (schema !== undefined && table.schema !== schema)) continue;
      built[table.name] = Object.fromEntries(table.columns.map((c) => [c.name, c.isNullable ? 'null' : 'not null'] as const));
    }
    expect(built).toEqual(declared());
  });
});
