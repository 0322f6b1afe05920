import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from './support/db.ts';

/**
 * Ready for a distributed PostgreSQL (Citus) with school_id as the distribution column
 * (docs/deployment.md#beyond-one-postgresql-server): read from PostgreSQL's own catalogue, every
 * foreign key between two school tables includes school_id on both sides, and every unique key of
 * a school table includes school_id — except those listed below, each with its reason.
 */

/** Tables without school_id: `schools` (a reference table in Citus) and the sign-in counters (per address, not per school). */
const REFERENCE_TABLES = ['schools', 'sign_in_counters'];

/**
 * Unique keys of school tables without school_id. Primary keys on `id`: ids are random UUIDv7 made
 * by the application, never shared between schools, and the app inserts idempotently on them
 * (ON CONFLICT (id)); every such table also has unique (school_id, id) where rows point at it, and the step to Citus
 * promotes that to the primary key (docs/deployment.md lists it). Join tables' primary keys are
 * ON CONFLICT targets of idempotent inserts; their first column is a school record's id.
 */
const PRIMARY_KEYS_ON_ID = [
  'access_requests',
  'agreement_promises',
  'agreement_reviews',
  'agreement_signatures',
  'agreement_translations',
  'agreement_versions',
  'attendance_figures',
  'attendance_imports',
  'audit_log',
  'buddy_matches',
  'buddy_opt_ins',
  'carer_groups',
  'carer_pupils',
  'carers',
  'classes',
  'complaint_closures',
  'complaint_events',
  'complaint_letters',
  'complaint_papers',
  'complaint_people',
  'complaints',
  'concern_entries',
  'concerns',
  'conduct_arrangements',
  'conduct_incidents',
  'consultation_comments',
  'consultation_invitees',
  'consultation_sections',
  'consultation_themes',
  'consultations',
  'contact_log',
  'dsl_reports',
  'evening_attendees',
  'evening_bookings',
  'evening_needs',
  'evening_sessions',
  'evening_slots',
  'evening_waiting',
  'evenings',
  'event_attendance',
  'event_invitees',
  'event_rsvps',
  'event_sessions',
  'events',
  'glossary',
  'import_batches',
  'key_workers',
  'meeting_actions',
  'meeting_agenda_items',
  'meeting_notes',
  'meeting_offers',
  'meetings',
  'message_recipients',
  'message_translations',
  'messages',
  'outbox',
  'policies',
  'profile_consents',
  'profile_proposals',
  'profile_reviews',
  'profile_versions',
  'profile_words',
  'profiles',
  'public_complaints',
  'pupils',
  'restrictions',
  'school_closures',
  'school_terms',
  'sessions',
  'sign_in_tokens',
  'staff',
  'staff_alerts',
  'support_entries',
  'survey_answers',
  'survey_invitations',
  'survey_question_translations',
  'survey_questions',
  'survey_responses',
  'surveys',
  'translation_requests',
  'volunteer_assignments',
  'volunteer_languages',
  'volunteer_opportunities',
  'volunteers',
  'welcome_steps',
];
const EXCEPTIONS: Record<string, string> = {
  ...Object.fromEntries(PRIMARY_KEYS_ON_ID.map((table) => [`${table}_pkey`, 'primary key on a random application-made id (see above)'])),
  staff_roles_pk: 'join table (staff_id, role): staff_id names one school’s staff record',
  class_teachers_pk: 'join table (class_id, staff_id): ON CONFLICT target',
  carer_group_members_pk: 'join table (group_id, carer_id): ON CONFLICT target',
  evening_classes_pk: 'join table (evening_id, class_id)',
  evening_teachers_pk: 'join table (evening_id, staff_id)',
  meeting_staff_pk: 'join table (meeting_id, staff_id): ON CONFLICT target',
  meeting_carers_pk: 'join table (meeting_id, carer_id)',
  meeting_safety_plans_pkey: 'one plan per meeting (meeting_id): ON CONFLICT target',
  consultation_invitees_token_key: 'a random secret token (a carer’s own link), never the same in two schools',
  survey_invitations_token_key: 'a random secret token (a person’s own survey link), never the same in two schools',
  consultation_invitees_one_each: 'one link per carer per consultation (consultation_id, carer_id): the first names one school’s record',
  consultation_sections_position_unique: 'sections in order (consultation_id, position): consultation_id names one school’s record',
  survey_invitations_carer_unique: 'one invitation per carer per survey (survey_id, carer_id): survey_id names one school’s record',
  survey_invitations_staff_unique: 'one invitation per member of staff per survey (survey_id, staff_id)',
  survey_question_translations_unique: 'one translation per question and language (question_id, language)',
  survey_responses_invitation_id_key: 'one response per invitation (invitation_id names one school’s record)',
  outbox_idempotency_key_key: 'the outbox also holds school-less mail (sign-in warnings, system); its key is made from ids that are unique across schools',
};

describe.each(dialects.filter((d) => d === 'postgres'))('keys on %s, ready for school_id as the distribution column', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterAll(async () => t?.close());

  type Key = { name: string; table: string; kind: string; columns: string[]; parent: string | null; parent_columns: string[] | null };
  async function keys(): Promise<Key[]> {
    const constraints = await sql<Key>`
      select c.conname as name, r.relname as table, c.contype as kind,
        array(select a.attname from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)::text[] as columns,
        p.relname as parent,
        array(select a.attname from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)::text[] as parent_columns
      from pg_constraint c
      join pg_class r on r.oid = c.conrelid
      join pg_namespace n on n.oid = r.relnamespace and n.nspname = current_schema()
      left join pg_class p on p.oid = c.confrelid
      where c.contype in ('p', 'u', 'f') and r.relname not like 'kysely_%'`.execute(t.db);
    // Unique indexes that are not constraints (the partial ones that make slots exclusive).
    const indexes = await sql<Key>`
      select i.relname as name, r.relname as table, 'i' as kind,
        array(select a.attname from unnest(x.indkey::int2[]) with ordinality k(n, i) join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.n order by k.i)::text[] as columns,
        null as parent, null as parent_columns
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class r on r.oid = x.indrelid
      join pg_namespace n on n.oid = r.relnamespace and n.nspname = current_schema()
      where x.indisunique and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid) and r.relname not like 'kysely_%'`.execute(t.db);
    return [...constraints.rows, ...indexes.rows];
  }

  it('ties every foreign key between school tables to school_id on both sides', async () => {
    const wrong = (await keys())
      .filter((k) => k.kind === 'f' && !REFERENCE_TABLES.includes(k.table) && !REFERENCE_TABLES.includes(k.parent!))
      .filter((k) => !k.columns.includes('school_id') || !k.parent_columns!.includes('school_id') || k.columns.indexOf('school_id') !== k.parent_columns!.indexOf('school_id'))
      .map((k) => `${k.name}: ${k.table} (${k.columns.join(', ')}) → ${k.parent} (${k.parent_columns!.join(', ')})`);
    expect(wrong).toEqual([]);
  });

  it('keeps school_id in every unique key of a school table, except the listed ones', async () => {
    const all = await keys();
    const unique = all.filter((k) => k.kind !== 'f' && !REFERENCE_TABLES.includes(k.table));
    const without = unique.filter((k) => !k.columns.includes('school_id')).map((k) => k.name);
    expect(without.filter((name) => !(name in EXCEPTIONS)).sort()).toEqual([]);
    // The list holds no key that is no longer there (or that now includes school_id).
    expect(Object.keys(EXCEPTIONS).filter((name) => !without.includes(name))).toEqual([]);
  });
});
