/**
 * `npm run bench -- NAME` runs bench/NAME.ts. Each benchmark exports `run(db target)` and returns
 * its figures; this prints the closing line `bench NAME: db=… key=value …` and records it in
 * docs/performance.md with the command that produced it. With DATABASE_URL set it runs on PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { readConfig } from '../src/config.ts';

export type BenchResult = Record<string, string | number>;
export type Bench = (ctx: { database: ReturnType<typeof readConfig>['database']; dialect: 'sqlite' | 'postgres' }) => Promise<BenchResult>;

const name = process.argv[2];
const known = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !known.includes(name)) {
  console.error(`Usage: npm run bench -- NAME   (one of: ${known.join(', ')})`);
  process.exit(2);
}

const config = readConfig({ ...process.env, NODE_ENV: 'test' });
const dialect = config.database.kind;
const mod = (await import(`./${name}.ts`)) as { run: Bench };
const figures = await mod.run({ database: config.database, dialect });
const line = `bench ${name}: db=${dialect} ${Object.entries(figures)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ')}`;
record(name, dialect, line);
console.log(line);
process.exit(0);

function record(bench: string, db: string, resultLine: string): void {
  const file = path.resolve(import.meta.dirname, '../docs/performance.md');
  const header = [
    '# Performance',
    '',
    'Figures from `npm run bench -- NAME` on the development machine (2 cores, shared). The same command',
    'with `DATABASE_URL=postgres://…` runs on PostgreSQL. Each row is replaced when its benchmark runs again.',
    '',
    '| benchmark | database | command | result | when | commit |',
    '| --- | --- | --- | --- | --- | --- |',
    '',
  ].join('\n');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : header;
  if (!text.includes('| benchmark | database | command |')) text = header + '\n' + text;
  let commit = 'uncommitted';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout: the row says 'uncommitted'
  }
  const command = `${db === 'postgres' ? 'DATABASE_URL=postgres://… ' : ''}npm run bench -- ${bench}`;
  const row = `| ${bench} | ${db} | \`${command}\` | \`${resultLine}\` | ${new Date().toISOString().slice(0, 16).replace('T', ' ')} | ${commit} |`;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`| ${bench} | ${db} |`));
  if (at >= 0) lines[at] = row;
  else {
    // A new benchmark's row goes at the end of the results table (the first table), not of the goals below it.
    let end = lines.findIndex((l) => l.startsWith('| benchmark | database | command |'));
    while (end + 1 < lines.length && lines[end + 1]!.startsWith('|')) end++;
    lines.splice(end + 1, 0, row);
  }
  fs.writeFileSync(file, lines.join('\n'));
}
