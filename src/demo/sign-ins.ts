import type { Db } from '../db/database.ts';
import type { DemoSignIn } from './demo-school.ts';
import { DEMO_SIGN_IN_EMAILS } from './people.ts';

/** The demo sign-ins to print at start, if the demo school is in this database. */
export async function demoSignIns(db: Db): Promise<DemoSignIn[]> {
  const emails = DEMO_SIGN_IN_EMAILS.map((s) => s.email);
  const found = new Set((await db.selectFrom('staff').select('email').where('email', 'in', emails).execute()).map((r) => r.email));
  const carerFound = new Set((await db.selectFrom('carers').select('email').where('email', 'in', emails).execute()).map((r) => r.email ?? ''));
  return DEMO_SIGN_IN_EMAILS.filter((s) => found.has(s.email) || carerFound.has(s.email));
}
