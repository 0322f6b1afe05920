import type { Kysely } from 'kysely';
import { addSchoolConstraints, replaceIndex, type TableConstraints } from '../constraints.ts';

/**
 * Tenancy by construction, in the database:
 * - a staff email is unique within a school, not across schools (a trust's staff work in several);
 * - every table a school's rows point at has unique (school_id, id), and every foreign key between
 *   school tables is (school_id, x_id) → parent (school_id, id): a row cannot belong to one school
 *   and point at another school's pupil, carer, meeting…;
 * - unique keys between school tables hold school_id too (the distribution column of a distributed
 *   PostgreSQL such as Citus: docs/deployment.md);
 * - columns whose values are a closed set (roles, statuses, channels, kinds, 0/1 flags) have CHECKs.
 * It runs on a new database (before 0009–0011) and on an existing one (after them): the SQLite
 * rebuild keeps whatever columns the table has when it runs.
 */
const FLAG = [0, 1] as const;
const YEAR_GROUPS = ['N', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'];
const MODES = ['in_person', 'phone', 'video'];
const STAFF_OR_CARER = ['staff', 'carer'];
const flags = (...columns: string[]) => Object.fromEntries(columns.map((c) => [c, FLAG]));
const key = (column: string, parent: string) => ({ column, parent });

/** Parents before children: a composite foreign key needs its parent's unique (school_id, id). */
const CHANGES: TableConstraints[] = [
  { table: 'schools', checks: { phase: ['nursery', 'primary', 'secondary', 'all_through', 'special'], ...flags('teachers_see_all_pupils') } },
  // No new constraint: rebuilt on SQLite so that their ids, like every table's, are not null.
  { table: 'school_terms' },
  { table: 'school_closures' },
  { table: 'glossary' },
  { table: 'sign_in_counters' },
  { table: 'staff', schoolIdUnique: true, uniques: [{ name: 'staff_school_email_unique', from: ['email'], to: ['school_id', 'email'] }] },
  {
    table: 'staff_roles',
    schoolKeys: [key('staff_id', 'staff')],
    checks: { role: ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison', 'governor'] },
  },
  { table: 'classes', schoolIdUnique: true, checks: { year_group: YEAR_GROUPS } },
  { table: 'class_teachers', schoolKeys: [key('class_id', 'classes'), key('staff_id', 'staff')] },
  {
    table: 'pupils',
    schoolIdUnique: true,
    schoolKeys: [key('class_id', 'classes')],
    checks: { year_group: YEAR_GROUPS, send_status: ['none', 'sen_support', 'ehcp'], ...flags('eal') },
  },
  { table: 'carers', schoolIdUnique: true, checks: flags('interpreter_needed', 'channel_email', 'channel_sms', 'channel_app', 'paper_copies') },
  {
    table: 'carer_pupils',
    schoolKeys: [key('carer_id', 'carers'), key('pupil_id', 'pupils')],
    uniques: [{ name: 'carer_pupils_unique', from: ['carer_id', 'pupil_id'], to: ['carer_id', 'pupil_id', 'school_id'] }],
    checks: {
      relationship: ['mother', 'father', 'step_parent', 'foster_carer', 'grandparent', 'other_relative', 'family_friend', 'social_worker', 'other'],
      ...flags('parental_responsibility', 'lives_with_pupil', 'may_receive_information', 'wants_copies'),
    },
  },
  {
    table: 'restrictions',
    schoolKeys: [key('pupil_id', 'pupils'), key('carer_id', 'carers')],
    checks: { kind: ['court_order', 'agreed_arrangement'], ...flags('stops_information', 'stops_collection', 'stops_contact') },
  },
  { table: 'sessions', checks: { user_kind: STAFF_OR_CARER, ...flags('second_factor_pending') } },
  { table: 'sign_in_tokens', schoolKeys: [key('carer_id', 'carers')], checks: { kind: ['link', 'code'] } },
  { table: 'audit_log', checks: { actor_kind: ['staff', 'carer', 'system'] } },
  { table: 'import_batches', checks: { kind: ['pupils', 'contacts'] } },
  { table: 'outbox', checks: { channel: ['email', 'sms'], status: ['pending', 'sending', 'sent', 'failed'] } },
  {
    table: 'messages',
    schoolIdUnique: true,
    schoolKeys: [key('created_by', 'staff')],
    checks: {
      kind: ['newsletter', 'class_newsletter', 'letter', 'urgent', 'praise', 'individual'],
      tone: ['good_news', 'information', 'concern'],
      status: ['draft', 'scheduled', 'sent'],
      ...flags('asks_acknowledgement'),
    },
  },
  {
    table: 'message_translations',
    schoolKeys: [key('message_id', 'messages')],
    uniques: [{ name: 'message_translations_unique', from: ['message_id', 'language'], to: ['message_id', 'language', 'school_id'] }],
    checks: { source: ['person', 'machine'], status: ['requested', 'written', 'checked'] },
  },
  {
    table: 'message_recipients',
    schoolKeys: [key('message_id', 'messages'), key('carer_id', 'carers')],
    uniques: [{ name: 'message_recipients_unique', from: ['message_id', 'carer_id'], to: ['message_id', 'carer_id', 'school_id'] }],
  },
  { table: 'carer_groups', schoolIdUnique: true },
  { table: 'carer_group_members', schoolKeys: [key('group_id', 'carer_groups'), key('carer_id', 'carers')] },
  { table: 'contact_log', schoolKeys: [key('carer_id', 'carers'), key('staff_id', 'staff')], checks: { kind: ['phone', 'gate', 'meeting', 'home_visit', 'other'] } },
  { table: 'evenings', schoolIdUnique: true, schoolKeys: [key('created_by', 'staff')], checks: { separated_carers: ['own', 'join', 'either'] } },
  { table: 'evening_sessions', schoolIdUnique: true, schoolKeys: [key('evening_id', 'evenings')] },
  { table: 'evening_classes', schoolKeys: [key('evening_id', 'evenings'), key('class_id', 'classes')] },
  { table: 'evening_teachers', schoolKeys: [key('evening_id', 'evenings'), key('staff_id', 'staff')] },
  {
    table: 'evening_slots',
    schoolIdUnique: true,
    schoolKeys: [key('evening_id', 'evenings'), key('session_id', 'evening_sessions'), key('staff_id', 'staff')],
    uniques: [{ name: 'evening_slots_unique', from: ['evening_id', 'staff_id', 'starts_at'], to: ['evening_id', 'staff_id', 'starts_at', 'school_id'] }],
    checks: flags('unavailable'),
  },
  {
    table: 'evening_bookings',
    schoolIdUnique: true,
    schoolKeys: [key('evening_id', 'evenings'), key('slot_id', 'evening_slots'), key('staff_id', 'staff'), key('pupil_id', 'pupils'), key('carer_id', 'carers')],
    checks: { mode: MODES, status: ['held', 'booked'], booked_by_kind: STAFF_OR_CARER, cancelled_by_kind: ['carer', 'staff', 'system'] },
  },
  { table: 'evening_attendees', schoolKeys: [key('booking_id', 'evening_bookings'), key('carer_id', 'carers')], checks: flags('joined') },
  {
    table: 'evening_waiting',
    schoolKeys: [key('evening_id', 'evenings'), key('staff_id', 'staff'), key('pupil_id', 'pupils'), key('carer_id', 'carers')],
    uniques: [{ name: 'evening_waiting_unique', from: ['evening_id', 'staff_id', 'pupil_id', 'carer_id'], to: ['evening_id', 'staff_id', 'pupil_id', 'carer_id', 'school_id'] }],
  },
  {
    table: 'meetings',
    schoolIdUnique: true,
    schoolKeys: [key('pupil_id', 'pupils'), key('evening_booking_id', 'evening_bookings'), key('requested_by_carer_id', 'carers'), key('referred_to', 'staff')],
    uniques: [{ name: 'meetings_evening_booking_unique', from: ['evening_booking_id'], to: ['evening_booking_id', 'school_id'] }],
    checks: {
      kind: ['appointment', 'induction', 'home_visit', 'meet_the_teacher', 'progress', 'parents_evening'],
      status: ['requested', 'offered', 'scheduled', 'held', 'cancelled'],
      mode: MODES,
      created_by_kind: STAFF_OR_CARER,
      ...flags('urgent', 'possibly_difficult'),
    },
  },
  { table: 'meeting_staff', schoolKeys: [key('meeting_id', 'meetings'), key('staff_id', 'staff')], checks: { role: ['lead', 'colleague', 'liaison', 'preparer'] } },
  { table: 'meeting_carers', schoolKeys: [key('meeting_id', 'meetings'), key('carer_id', 'carers'), key('prep_help_staff_id', 'staff')] },
  { table: 'meeting_offers', schoolKeys: [key('meeting_id', 'meetings')] },
  { table: 'meeting_agenda_items', schoolKeys: [key('meeting_id', 'meetings')], checks: { added_by_kind: STAFF_OR_CARER } },
  {
    table: 'meeting_safety_plans',
    schoolKeys: [key('meeting_id', 'meetings'), key('colleague_id', 'staff'), key('created_by', 'staff')],
    checks: { colleague_presence: ['in_room', 'within_earshot', 'on_standby'], ...flags('clear_route_out', 'neutral_and_private') },
  },
  { table: 'meeting_notes', schoolKeys: [key('meeting_id', 'meetings'), key('written_by', 'staff')], checks: flags('safeguarding') },
  {
    table: 'meeting_actions',
    schoolKeys: [key('meeting_id', 'meetings'), key('staff_id', 'staff'), key('carer_id', 'carers')],
    checks: { owner_kind: ['school', 'carer'] },
  },
  {
    table: 'staff_alerts',
    schoolKeys: [key('staff_id', 'staff')],
    checks: { kind: ['difficult_meeting', 'safeguarding', 'urgent_request', 'referral', 'meeting_request', 'prep_help'] },
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await addSchoolConstraints(db, CHANGES);
  // Partial unique indexes: the same rule, with school_id in the key.
  const live = 'cancelled_at is null';
  await replaceIndex(db, { name: 'evening_bookings_one_per_slot', table: 'evening_bookings', columns: ['slot_id', 'school_id'], unique: true, where: live });
  await replaceIndex(db, {
    name: 'evening_bookings_one_per_child_teacher',
    table: 'evening_bookings',
    columns: ['evening_id', 'staff_id', 'booking_key', 'school_id'],
    unique: true,
    where: live,
  });
  await replaceIndex(db, { name: 'evening_attendees_one_at_a_time', table: 'evening_attendees', columns: ['carer_id', 'starts_at', 'school_id'], unique: true, where: live });
}

export async function down(): Promise<void> {
  throw new Error('Gatepost migrations only go forward');
}
