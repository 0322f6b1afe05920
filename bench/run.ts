/**
 * `npm run bench -- NAME [--db sqlite|postgres] [--record]` runs bench/NAME.ts. Each benchmark exports
 * `run(db target)` and returns its figures; this prints the closing line `bench NAME: db=… key=value …`.
 * `--db postgres` runs on PostgreSQL: DATABASE_URL, or the test database postgres://postgres@127.0.0.1:5432/test
 * (a schema of its own, dropped afterwards); so does DATABASE_URL alone. `--record` writes the line
 * into docs/performance.md's table with the command that produced it (runs while developing do not).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { readConfig } from '../src/config.ts';

export type BenchResult = Record<string, string | number>;
export type Bench = (ctx: { database: ReturnType<typeof readConfig>['database']; dialect: 'sqlite' | 'postgres' }) => Promise<BenchResult>;

const argv = process.argv.slice(2);
const dbFlag = argv.indexOf('--db');
const wanted = dbFlag >= 0 ? argv[dbFlag + 1] : undefined;
const recording = argv.includes('--record');
const name = argv.find((a, i) => !a.startsWith('--') && (dbFlag < 0 || i !== dbFlag + 1));
const known = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !known.includes(name) || (wanted !== undefined && wanted !== 'sqlite' && wanted !== 'postgres')) {
  console.error(`Usage: npm run bench -- NAME [--db sqlite|postgres] [--record]   (NAME one of: ${known.join(', ')})`);
  process.exit(2);
}

const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
if (wanted === 'postgres') env.DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (wanted === 'sqlite') delete env.DATABASE_URL;
const config = readConfig(env);
const dialect = config.database.kind;
const mod = (await import(`./${name}.ts`)) as { run: Bench };
const figures = await mod.run({ database: config.database, dialect });
const line = `bench ${name}: db=${dialect} ${Object.entries(figures)
  .map(([k, v]) => `${k}=${v}`)
  .join(' ')}`;
// WORKERS=N: the benchmarks that start the production server start N app processes (PostgreSQL).
const label = process.env.WORKERS && process.env.WORKERS !== '1' ? `${dialect}, WORKERS=${process.env.WORKERS}` : dialect;
if (recording) record(name, label, line);
console.log(line);
process.exit(0);

function record(bench: string, db: string, resultLine: string): void {
  const file = path.resolve(import.meta.dirname, '../docs/performance.md');
  const header = [
    '# Performance',
    '',
    'Figures from `npm run bench -- NAME --db sqlite|postgres --record`. Each row is replaced when its benchmark runs again.',
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
  const workers = /WORKERS=(\d+)/.exec(db)?.[1];
  const command = `${workers ? `WORKERS=${workers} ` : ''}npm run bench -- ${bench} --db ${db.split(',')[0]} --record`;
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
