import type { Db } from '../db/database.ts';
import type { DemoSignIn } from './demo-school.ts';
import { DEMO_SIGN_IN_EMAILS } from './people.ts';
import { DEMO_SCHOOL } from './calendar.ts';

/** The demo sign-ins to print at start, when the demo school is in this database. */
export async function demoSignIns(db: Db): Promise<DemoSignIn[]> {
  const school = await db.selectFrom('schools').select('id').where('urn', '=', DEMO_SCHOOL.urn).executeTakeFirst();
  return school ? DEMO_SIGN_IN_EMAILS : [];
}
