import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** At a glance for whole-school staff: how many pupils and carers, and who can only get paper. */
export async function schoolFigures(db: Kysely<Database>, schoolId: string) {
  const [pupils, carers, noEmail] = await Promise.all([
    db.selectFrom('pupils').select((eb) => eb.fn.countAll<number>().as('n')).where('school_id', '=', schoolId).where('archived_at', 'is', null).executeTakeFirstOrThrow(),
    db.selectFrom('carers').select((eb) => eb.fn.countAll<number>().as('n')).where('school_id', '=', schoolId).where('archived_at', 'is', null).executeTakeFirstOrThrow(),
    db
      .selectFrom('carers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('archived_at', 'is', null)
      .where('email', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { pupils: Number(pupils.n), carers: Number(carers.n), carersWithoutEmail: Number(noEmail.n) };
}

/** How many messages a carer has not opened yet. */
export async function unreadMessages(db: Kysely<Database>, carerId: string): Promise<number> {
  const row = await db.selectFrom('message_recipients').select((eb) => eb.fn.countAll<number>().as('n')).where('carer_id', '=', carerId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}
