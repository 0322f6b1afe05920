import type { Db } from '../../db/database.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { newId } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/web/forms.ts';
import { closureProblems, termProblems, type Closure, type Term } from './term-dates.ts';

/** The school's terms and closures, in date order. */
export async function termDatesOf(db: Db, schoolId: string): Promise<{ terms: Term[]; closures: Closure[] }> {
  const [terms, closures] = await Promise.all([
    db.selectFrom('school_terms').select(['id', 'name', 'starts_on', 'ends_on']).where('school_id', '=', schoolId).orderBy('starts_on').execute(),
    db.selectFrom('school_closures').select(['id', 'reason', 'starts_on', 'ends_on']).where('school_id', '=', schoolId).orderBy('starts_on').execute(),
  ]);
  return { terms, closures };
}

type Added = { ok: true; id: string } | { ok: false; errors: FieldErrors };

/** Add a term, checked against the others in the same transaction (two people adding at once cannot overlap). */
export async function addTerm(db: Db, actor: Actor & { kind: 'staff' }, term: Omit<Term, 'id'>, now: Date): Promise<Added> {
  return db.transaction().execute(async (trx) => {
    const { terms } = await termDatesOf(trx, actor.schoolId);
    const errors = termProblems(term, terms);
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const id = newId();
    await trx
      .insertInto('school_terms')
      .values({ id, school_id: actor.schoolId, ...term })
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'term.added', entity: 'school_term', entityId: id, after: term }, now);
    return { ok: true as const, id };
  });
}

/** Add a day or days the school is closed. */
export async function addClosure(db: Db, actor: Actor & { kind: 'staff' }, closure: Omit<Closure, 'id'>, now: Date): Promise<Added> {
  return db.transaction().execute(async (trx) => {
    const { terms, closures } = await termDatesOf(trx, actor.schoolId);
    const errors = closureProblems(closure, terms, closures);
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const id = newId();
    await trx
      .insertInto('school_closures')
      .values({ id, school_id: actor.schoolId, ...closure })
      .execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'closure.added', entity: 'school_closure', entityId: id, after: closure }, now);
    return { ok: true as const, id };
  });
}

/** Remove a term or a closure (a mistake); removing it twice ends as once did. What it was is kept in the audit. */
export async function removeTermDate(db: Db, actor: Actor & { kind: 'staff' }, table: 'school_terms' | 'school_closures', id: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom(table).selectAll().where('school_id', '=', actor.schoolId).where('id', '=', id).executeTakeFirst();
    if (!before) return;
    await trx.deleteFrom(table).where('school_id', '=', actor.schoolId).where('id', '=', id).execute();
    const entity = table === 'school_terms' ? 'school_term' : 'school_closure';
    await audit(trx, actor, { schoolId: actor.schoolId, action: `${entity === 'school_term' ? 'term' : 'closure'}.removed`, entity, entityId: id, before }, now);
  });
}

type Changed = { ok: true } | { ok: false; errors: FieldErrors } | { ok: false; missing: true };

/**
 * Change a term's name or dates (a typing mistake, a date moved by the governors), checked as a new
 * term is but against the other terms only. The audit keeps what it was and what it became.
 */
export async function changeTerm(db: Db, actor: Actor & { kind: 'staff' }, id: string, term: Omit<Term, 'id'>, now: Date): Promise<Changed> {
  return db.transaction().execute(async (trx) => {
    const { terms } = await termDatesOf(trx, actor.schoolId);
    const current = terms.find((t) => t.id === id);
    if (!current) return { ok: false as const, missing: true as const };
    const errors = termProblems(
      term,
      terms.filter((t) => t.id !== id),
    );
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const before = { name: current.name, starts_on: current.starts_on, ends_on: current.ends_on };
    if (before.name === term.name && before.starts_on === term.starts_on && before.ends_on === term.ends_on) return { ok: true as const };
    await trx.updateTable('school_terms').set(term).where('school_id', '=', actor.schoolId).where('id', '=', id).execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'term.changed', entity: 'school_term', entityId: id, before, after: term }, now);
    return { ok: true as const };
  });
}

/** Change a closure's reason or days, checked as a new one is but against the other closures only. */
export async function changeClosure(db: Db, actor: Actor & { kind: 'staff' }, id: string, closure: Omit<Closure, 'id'>, now: Date): Promise<Changed> {
  return db.transaction().execute(async (trx) => {
    const { terms, closures } = await termDatesOf(trx, actor.schoolId);
    const current = closures.find((c) => c.id === id);
    if (!current) return { ok: false as const, missing: true as const };
    const errors = closureProblems(
      closure,
      terms,
      closures.filter((c) => c.id !== id),
    );
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const before = { reason: current.reason, starts_on: current.starts_on, ends_on: current.ends_on };
    if (before.reason === closure.reason && before.starts_on === closure.starts_on && before.ends_on === closure.ends_on) return { ok: true as const };
    await trx.updateTable('school_closures').set(closure).where('school_id', '=', actor.schoolId).where('id', '=', id).execute();
    await audit(trx, actor, { schoolId: actor.schoolId, action: 'closure.changed', entity: 'school_closure', entityId: id, before, after: closure }, now);
    return { ok: true as const };
  });
}
