import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Meeting families: parents' evenings (sessions, teachers, slots, bookings, waiting lists) and
 * meetings (appointments, induction, home visits…) with their agendas, safety plans, notes, agreed
 * actions and follow-ups; staff alerts (the head told of a difficult meeting, the DSL of a concern).
 *
 * Exclusivity lives in partial unique indexes (same on SQLite and PostgreSQL):
 * - one live booking per teacher slot;
 * - one live appointment per child per teacher per evening (per carer when the school lets
 *   separated carers book their own: the booking key says which);
 * - one live appointment per carer at a time (evening_attendees: booker and anyone who joined).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const owned = <T extends string>(t: CreateTableBuilder<T, never>) => t.addColumn('id', 'text', (c) => c.primaryKey()).addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'));

  await owned(db.schema.createTable('evenings'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('modes', 'text', (c) => c.notNull())
    .addColumn('travel_gap_minutes', 'integer', (c) => c.notNull())
    .addColumn('separated_carers', 'text', (c) => c.notNull())
    .addColumn('booking_opens_at', 'text', (c) => c.notNull())
    .addColumn('booking_closes_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await owned(db.schema.createTable('evening_sessions'))
    .addColumn('evening_id', 'text', (c) => c.notNull().references('evenings.id'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('starts', 'text', (c) => c.notNull())
    .addColumn('ends', 'text', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull())
    .addColumn('breaks_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evening_sessions_evening').on('evening_sessions').column('evening_id').execute();

  await db.schema
    .createTable('evening_classes')
    .addColumn('evening_id', 'text', (c) => c.notNull().references('evenings.id'))
    .addColumn('class_id', 'text', (c) => c.notNull().references('classes.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addPrimaryKeyConstraint('evening_classes_pk', ['evening_id', 'class_id'])
    .execute();

  await db.schema
    .createTable('evening_teachers')
    .addColumn('evening_id', 'text', (c) => c.notNull().references('evenings.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('room', 'text')
    .addColumn('video_link', 'text')
    .addPrimaryKeyConstraint('evening_teachers_pk', ['evening_id', 'staff_id'])
    .execute();

  await owned(db.schema.createTable('evening_slots'))
    .addColumn('evening_id', 'text', (c) => c.notNull().references('evenings.id'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('evening_sessions.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('unavailable', 'integer', (c) => c.notNull())
    .addUniqueConstraint('evening_slots_unique', ['evening_id', 'staff_id', 'starts_at'])
    .execute();
  await db.schema.createIndex('evening_slots_evening_time').on('evening_slots').columns(['evening_id', 'starts_at']).execute();

  await owned(db.schema.createTable('evening_bookings'))
    .addColumn('evening_id', 'text', (c) => c.notNull().references('evenings.id'))
    .addColumn('slot_id', 'text', (c) => c.notNull().references('evening_slots.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('booking_key', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text')
    .addColumn('hold_expires_at', 'text')
    .addColumn('booked_by_kind', 'text', (c) => c.notNull())
    .addColumn('booked_by_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by_kind', 'text')
    .addColumn('cancelled_by_id', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  const live = sql.ref('cancelled_at');
  await db.schema.createIndex('evening_bookings_one_per_slot').unique().on('evening_bookings').column('slot_id').where(live, 'is', null).execute();
  await db.schema.createIndex('evening_bookings_one_per_child_teacher').unique().on('evening_bookings').columns(['evening_id', 'staff_id', 'booking_key']).where(live, 'is', null).execute();
  await db.schema.createIndex('evening_bookings_carer').on('evening_bookings').columns(['carer_id', 'starts_at']).execute();
  await db.schema.createIndex('evening_bookings_staff').on('evening_bookings').columns(['staff_id', 'starts_at']).execute();
  await db.schema.createIndex('evening_bookings_pupil').on('evening_bookings').columns(['pupil_id', 'evening_id']).execute();
  await db.schema.createIndex('evening_bookings_hold').on('evening_bookings').column('hold_id').execute();
  // Only live holds carry an expiry (accepting or releasing a hold clears it), so this index stays small;
  // keyed on the expiry alone so that the planner never prefers it for "status = 'booked'" reads.
  await db.schema.createIndex('evening_bookings_held').on('evening_bookings').column('hold_expires_at').execute();

  await owned(db.schema.createTable('evening_attendees'))
    .addColumn('booking_id', 'text', (c) => c.notNull().references('evening_bookings.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('joined', 'integer', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('evening_attendees_one_at_a_time').unique().on('evening_attendees').columns(['carer_id', 'starts_at']).where(live, 'is', null).execute();
  await db.schema.createIndex('evening_attendees_booking').on('evening_attendees').column('booking_id').execute();

  await owned(db.schema.createTable('evening_waiting'))
    .addColumn('evening_id', 'text', (c) => c.notNull().references('evenings.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('told_at', 'text')
    .addColumn('removed_at', 'text')
    .addUniqueConstraint('evening_waiting_unique', ['evening_id', 'staff_id', 'pupil_id', 'carer_id'])
    .execute();

  await owned(db.schema.createTable('meetings'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('outline', 'text')
    .addColumn('pupil_id', 'text', (c) => c.references('pupils.id'))
    .addColumn('urgent', 'integer', (c) => c.notNull())
    .addColumn('preferred_times', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('interpreter_language', 'text')
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('place', 'text')
    .addColumn('video_link', 'text')
    .addColumn('evening_booking_id', 'text', (c) => c.references('evening_bookings.id').unique())
    .addColumn('requested_by_carer_id', 'text', (c) => c.references('carers.id'))
    .addColumn('possibly_difficult', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('follow_up_on', 'text')
    .addColumn('follow_up_done_at', 'text')
    .addColumn('summary_sent_at', 'text')
    .addColumn('summary_version', 'text')
    .addColumn('referred_to', 'text', (c) => c.references('staff.id'))
    .addColumn('referred_at', 'text')
    .addColumn('referral_note', 'text')
    .addColumn('created_by_kind', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_school_starts').on('meetings').columns(['school_id', 'starts_at']).execute();
  await db.schema.createIndex('meetings_school_follow_up').on('meetings').columns(['school_id', 'follow_up_on']).execute();

  await db.schema
    .createTable('meeting_staff')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_staff_pk', ['meeting_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('meeting_staff_staff').on('meeting_staff').column('staff_id').execute();

  await db.schema
    .createTable('meeting_carers')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('carer_id', 'text', (c) => c.notNull().references('carers.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('prep_help_staff_id', 'text', (c) => c.references('staff.id'))
    .addColumn('prep_help_asked_at', 'text')
    .addPrimaryKeyConstraint('meeting_carers_pk', ['meeting_id', 'carer_id'])
    .execute();
  await db.schema.createIndex('meeting_carers_carer').on('meeting_carers').column('carer_id').execute();

  await owned(db.schema.createTable('meeting_offers'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('chosen_at', 'text')
    .execute();
  await db.schema.createIndex('meeting_offers_meeting').on('meeting_offers').column('meeting_id').execute();

  await owned(db.schema.createTable('meeting_agenda_items'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('added_by_kind', 'text', (c) => c.notNull())
    .addColumn('added_by_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_agenda_items_meeting').on('meeting_agenda_items').column('meeting_id').execute();

  await db.schema
    .createTable('meeting_safety_plans')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('colleague_id', 'text', (c) => c.references('staff.id'))
    .addColumn('colleague_presence', 'text', (c) => c.notNull())
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('clear_route_out', 'integer', (c) => c.notNull())
    .addColumn('neutral_and_private', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('head_told_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await owned(db.schema.createTable('meeting_notes'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('safeguarding', 'integer', (c) => c.notNull())
    .addColumn('written_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_notes_meeting').on('meeting_notes').column('meeting_id').execute();

  await owned(db.schema.createTable('meeting_actions'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
    .addColumn('carer_id', 'text', (c) => c.references('carers.id'))
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_actions_meeting').on('meeting_actions').column('meeting_id').execute();
  await db.schema.createIndex('meeting_actions_staff_due').on('meeting_actions').columns(['staff_id', 'due_on']).execute();

  await owned(db.schema.createTable('staff_alerts'))
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text')
    .execute();
  await db.schema.createIndex('staff_alerts_staff').on('staff_alerts').columns(['staff_id', 'seen_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
