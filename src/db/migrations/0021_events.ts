import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Events and volunteering (features/events, features/volunteering).
 *
 * Events: an event (open evening, coffee morning, …) for an audience chosen as a message's is, with
 * one or more sessions (the coffee morning at 9:00 and again at 18:00); the carers it was sent to
 * (invitees, worked out once when it is published); one answer per carer per event (yes for a
 * session with how many are coming, or no); and the register, one row per carer per session.
 *
 * Volunteering: opportunities the school offers; a carer's offer for one (a volunteer), with the
 * checks the office records (an enhanced DBS check, or for a supervised volunteer a written risk
 * assessment and never a barred-list check), approval and its review date; and the activities an
 * approved volunteer is put on.
 *
 * Tenancy as 0008 made it: unique (school_id, id) on tables rows point at, every foreign key between
 * school tables is (school_id, x_id) → parent (school_id, id); closed sets have CHECKs.
 */
const FLAG = sql`in (0, 1)`;
const oneOf = (column: string, values: string[]) => sql.raw(`"${column}" in (${values.map((v) => `'${v}'`).join(', ')})`);
const schoolKeys = (t: CreateTableBuilder<any, any>, table: string, keys: [string, string][]) =>
  keys.reduce((b, [column, parent]) => b.addForeignKeyConstraint(`${table}_${column}_school_fk`, ['school_id', column], parent, ['school_id', 'id']), t);

export const EVENT_KINDS = ['open_evening', 'coffee_morning', 'workshop', 'concert', 'trip', 'pta_meeting'];
export const OPPORTUNITY_KINDS = ['reading_partner', 'trip_helper', 'pta', 'governor', 'other'];
export const VOLUNTEER_STATUSES = ['offered', 'approved', 'declined', 'withdrawn'];

export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t.addColumn('id', 'text', (c) => c.primaryKey().notNull()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  const events = owned(db.schema.createTable('events'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('audience_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('reminded_at', 'text')
    .addUniqueConstraint('events_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('events_kind_check', oneOf('kind', EVENT_KINDS))
    .addCheckConstraint('events_status_check', oneOf('status', ['draft', 'published', 'cancelled']));
  await schoolKeys(events, 'events', [['created_by', 'staff']]).execute();

  const sessions = owned(db.schema.createTable('event_sessions'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('event_sessions_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('event_sessions_start_unique', ['school_id', 'event_id', 'starts_at'])
    .addCheckConstraint('event_sessions_order_check', sql`"ends_at" > "starts_at"`);
  await schoolKeys(sessions, 'event_sessions', [['event_id', 'events']]).execute();

  const invitees = owned(db.schema.createTable('event_invitees'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    /** The children in the audience this carer may hear about, as a JSON list of pupil ids. */
    .addColumn('pupil_ids_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('event_invitees_once', ['school_id', 'event_id', 'carer_id']);
  await schoolKeys(invitees, 'event_invitees', [
    ['event_id', 'events'],
    ['carer_id', 'carers'],
  ]).execute();

  const rsvps = owned(db.schema.createTable('event_rsvps'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('attending', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('event_rsvps_once', ['school_id', 'event_id', 'carer_id'])
    .addCheckConstraint('event_rsvps_answer_check', oneOf('answer', ['yes', 'no']))
    .addCheckConstraint(
      'event_rsvps_yes_check',
      sql`("answer" = 'yes' and "session_id" is not null and "attending" between 1 and 10) or ("answer" = 'no' and "session_id" is null and "attending" = 0)`,
    );
  await schoolKeys(rsvps, 'event_rsvps', [
    ['event_id', 'events'],
    ['carer_id', 'carers'],
    ['session_id', 'event_sessions'],
  ]).execute();

  const register = owned(db.schema.createTable('event_attendance'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('attended', 'integer', (c) => c.notNull())
    .addColumn('marked_by', 'text', (c) => c.notNull())
    .addColumn('marked_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('event_attendance_once', ['school_id', 'session_id', 'carer_id'])
    .addCheckConstraint('event_attendance_attended_check', sql`"attended" ${FLAG}`);
  await schoolKeys(register, 'event_attendance', [
    ['event_id', 'events'],
    ['session_id', 'event_sessions'],
    ['carer_id', 'carers'],
    ['marked_by', 'staff'],
  ]).execute();
  await db.schema.createIndex('event_attendance_school_carer').on('event_attendance').columns(['school_id', 'carer_id']).execute();

  const opportunities = owned(db.schema.createTable('volunteer_opportunities'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    /** The role is regulated activity when unsupervised: an enhanced DBS check is needed. */
    .addColumn('needs_dbs', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('volunteer_opportunities_school_id_unique', ['school_id', 'id'])
    .addCheckConstraint('volunteer_opportunities_kind_check', oneOf('kind', OPPORTUNITY_KINDS))
    .addCheckConstraint('volunteer_opportunities_status_check', oneOf('status', ['open', 'closed']))
    .addCheckConstraint('volunteer_opportunities_dbs_check', sql`"needs_dbs" ${FLAG}`);
  await schoolKeys(opportunities, 'volunteer_opportunities', [['created_by', 'staff']]).execute();

  const volunteers = owned(db.schema.createTable('volunteers'))
    .addColumn('opportunity_id', 'text', (c) => c.notNull())
    .addColumn('carer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('offer_note', 'text')
    .addColumn('supervised', 'integer')
    .addColumn('dbs_certificate', 'text')
    .addColumn('dbs_checked_on', 'text')
    .addColumn('barred_list_checked', 'integer', (c) => c.notNull())
    .addColumn('risk_assessment', 'text')
    .addColumn('risk_assessed_on', 'text')
    .addColumn('approved_on', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('review_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('volunteers_school_id_unique', ['school_id', 'id'])
    .addUniqueConstraint('volunteers_once', ['school_id', 'opportunity_id', 'carer_id'])
    .addCheckConstraint('volunteers_status_check', oneOf('status', VOLUNTEER_STATUSES))
    .addCheckConstraint('volunteers_supervised_check', sql`"supervised" is null or "supervised" ${FLAG}`)
    .addCheckConstraint('volunteers_barred_check', sql`"barred_list_checked" ${FLAG}`)
    // A supervised volunteer is never barred-list checked (the law does not allow it).
    .addCheckConstraint('volunteers_supervised_barred_check', sql`not ("supervised" = 1 and "barred_list_checked" = 1)`)
    .addCheckConstraint('volunteers_approved_check', sql`"status" <> 'approved' or ("approved_on" is not null and "approved_by" is not null and "review_on" is not null and "supervised" is not null)`);
  await schoolKeys(volunteers, 'volunteers', [
    ['opportunity_id', 'volunteer_opportunities'],
    ['carer_id', 'carers'],
    ['approved_by', 'staff'],
  ]).execute();

  const assignments = owned(db.schema.createTable('volunteer_assignments'))
    .addColumn('volunteer_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('assigned_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull());
  await schoolKeys(assignments, 'volunteer_assignments', [
    ['volunteer_id', 'volunteers'],
    ['event_id', 'events'],
    ['assigned_by', 'staff'],
  ]).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
