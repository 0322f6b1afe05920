import type { Bench } from './run.ts';
import { benchDatabase } from './support/server.ts';
import { newId } from '../src/platform/ids.ts';
import { applyBatch, planBatch, storeUpload } from '../src/features/people/import/service.ts';
import type { ImportKind } from '../src/features/people/import/types.ts';

/**
 * The records-system import at the size of a large primary or a small secondary school: a
 * 2,000-pupil file and a 4,000-row contacts file (two carers per pupil, siblings sharing parents),
 * each checked, stored, planned (the dry run) and applied in one transaction through the real
 * functions, on a fresh database.
 */
const PUPILS = 2000;
const FORENAMES = ['Amelia', 'Oliver', 'Zoë', 'Łukasz', 'محمد', 'Aoife', 'Chidi', 'Priya', 'Mateusz', 'Fatima', 'Noah', 'Isla', 'Yusuf', 'Maja', 'Leo', 'Hana'];
const SURNAMES = ['Smith', 'Nowak', "O'Brien-Smith", 'Khan', 'Okafor', 'Jones', 'Kowalski', 'Hassan', 'Patel', 'Murphy', 'Popescu', 'Warsame', 'Ahmed', 'Taylor'];
const PARENTS = [
  ['Sarah', 'Anna', 'Amina', 'Marta', 'Grace'],
  ['David', 'Piotr', 'Omar', 'Tomasz', 'James'],
];
const YEARS = ['R', '1', '2', '3', '4', '5', '6'];

/** Families of one, two and three children in turn, so the files are the same on every run. */
function familyOf(i: number): number {
  return Math.floor(i / 6) * 3 + [0, 1, 1, 2, 2, 2][i % 6]!;
}

export function pupilsCsv(): string {
  const lines = ['UPN,Legal Surname,Legal Forename,Preferred Forename,Date of Birth,Year Group,Reg Group,SEN Status,EAL,Home Language'];
  for (let i = 0; i < PUPILS; i++) {
    const year = YEARS[i % YEARS.length]!;
    const age = year === 'R' ? 4 : Number(year) + 4;
    const dob = `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${2026 - age - 1}`;
    const surname = SURNAMES[familyOf(i) % SURNAMES.length]!;
    const forename = FORENAMES[i % FORENAMES.length]!;
    const cls = `${year === 'R' ? 'Reception' : `Year ${year}`} ${'ABC'[i % 3]}`;
    lines.push([upn(i), csvCell(surname), forename, '', dob, year === 'R' ? 'Reception' : `Year ${year}`, cls, 'NKNNE'[i % 5], i % 3 === 0 ? 'Y' : 'N', i % 3 === 0 ? 'Polish' : 'English'].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function contactsCsv(): string {
  const lines = [
    'Pupil UPN,Title,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Lives With Pupil,Priority,Email,Mobile,Address Line 1,Town,Postcode,Preferred Language,Interpreter Required,Receives Correspondence,Wants Copies',
  ];
  for (let i = 0; i < PUPILS; i++) {
    const family = familyOf(i);
    const surname = SURNAMES[family % SURNAMES.length]!;
    for (const parent of [0, 1]) {
      const forename = PARENTS[parent]![family % 5]!;
      const email = `${forename.toLowerCase()}.${family}.${parent}@families.test`;
      const mobile = `07700${String(900000 + family * 2 + parent).padStart(6, '0')}`;
      lines.push(
        [
          upn(i),
          parent ? 'Mr' : 'Mrs',
          forename,
          csvCell(surname),
          parent ? 'Father' : 'Mother',
          'Y',
          parent ? 'N' : 'Y',
          parent + 1,
          email,
          mobile,
          `"${family} High Street, Flat ${parent}"`,
          'Brookfield',
          'BF1 2AB',
          family % 3 === 0 ? 'Polish' : 'English',
          'N',
          'Y',
          parent ? 'Y' : 'N',
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function upn(i: number): string {
  return `B${String(801200000000 + i).padStart(12, '0')}`;
}
function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const run: Bench = async ({ database, dialect }) => {
  const { db, close } = await benchDatabase(database);
  try {
    const schoolId = newId();
    const staffId = newId();
    const now = new Date('2026-11-23T09:00:00.000Z');
    await db
      .insertInto('schools')
      .values({ id: schoolId, name: 'Bench Primary', urn: '199999', phase: 'primary', time_zone: 'Europe/London', colour: '#1d70b8', teachers_see_all_pupils: 0, created_at: now.toISOString() })
      .execute();
    const files: [ImportKind, string][] = [
      ['pupils', pupilsCsv()],
      ['contacts', contactsCsv()],
    ];
    const actor = { kind: 'staff' as const, id: staffId, schoolId };
    const started = performance.now();
    const figures: string[] = [];
    for (const [kind, text] of files) {
      const t0 = performance.now();
      const stored = await storeUpload(db, { schoolId, kind, fileName: `${kind}.csv`, bytes: Buffer.from(text, 'utf8'), actor, now, today: '2026-11-23' });
      if (!stored.ok) throw new Error(stored.message);
      const batch = await db.selectFrom('import_batches').selectAll().where('id', '=', stored.batchId).executeTakeFirstOrThrow();
      const planned = await planBatch(db, batch, '2026-11-23'); // the dry run a person looks at
      if (!planned.ok || planned.plan.rejects.length > 0 || planned.plan.toImport !== (kind === 'pupils' ? PUPILS : PUPILS * 2)) {
        throw new Error(`The ${kind} dry run was not what the generator made: ${JSON.stringify(planned.ok ? planned.plan.rejects.slice(0, 3) : planned)}`);
      }
      const t1 = performance.now();
      const applied = await applyBatch(db, dialect, { schoolId, batchId: stored.batchId, actor, now, today: '2026-11-23', baseUrl: 'http://127.0.0.1:3000' });
      if (applied.status !== 'applied') throw new Error(`The ${kind} import was not applied: ${applied.status}`);
      figures.push(`${kind}: check+plan ${((t1 - t0) / 1000).toFixed(2)} s, apply ${((performance.now() - t1) / 1000).toFixed(2)} s ${JSON.stringify(applied.summary)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const count = async (table: 'pupils' | 'carers' | 'carer_pupils') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const [pupils, carers, links] = [await count('pupils'), await count('carers'), await count('carer_pupils')];
    if (pupils !== PUPILS || links !== PUPILS * 2) throw new Error(`Expected ${PUPILS} pupils and ${PUPILS * 2} links, found ${pupils} and ${links}`);
    console.log(figures.join('\n'));
    console.log(`${pupils} pupils, ${carers} carers, ${links} links`);
    return { pupils: PUPILS, contacts: PUPILS * 2, seconds: seconds.toFixed(2) };
  } finally {
    await close();
  }
};
