import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Dialect-specific SQL lives in src/db/ (locks.ts, group-commit.ts): ESLint refuses a feature file
 * that branches on the dialect, takes a row lock itself or reaches for the group commit.
 */
describe('a feature never branches on the database', () => {
  const eslint = new ESLint();
  const problems = async (code: string, filePath = 'src/features/messages/example.ts') => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  };

  it.each([
    ['a comparison with dialect', `declare const dialect: string;\nexport const pg = dialect === 'postgres';\n`],
    ['a comparison with ctx.dialect', `declare const ctx: { dialect: string };\nexport const lite = 'sqlite' !== ctx.dialect;\n`],
    ['a switch on the dialect', `declare const dialect: string;\nswitch (dialect) {\n  default:\n}\n`],
    ['.forUpdate()', `declare const q: { forUpdate(): unknown };\nexport const locked = q.forUpdate();\n`],
    [
      'raw "for update"',
      'declare const sql: (s: TemplateStringsArray, ...v: unknown[]) => unknown;\ndeclare const id: string;\nexport const q = sql`select id from schools where id = ${id} for update`;\n',
    ],
    ['the group commit itself', `import { groupCommit } from '../../db/group-commit.ts';\nexport { groupCommit };\n`],
  ])('refuses %s in src/features', async (_what, code) => {
    expect(await problems(code)).toHaveLength(1);
  });

  it('allows the same in src/db, where it belongs', async () => {
    expect(await problems(`declare const dialect: string;\nexport const pg = dialect === 'postgres';\n`, 'src/db/example.ts')).toEqual([]);
  });
});
