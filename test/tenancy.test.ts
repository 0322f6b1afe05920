import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, ownTables } from './support/db.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { newId } from '../src/platform/ids.ts';
import { createSurvey } from '../src/features/surveys/commands.ts';
import { NOT_RECORDS, paramsOf, RECORD_PARAMS, RECORD_QUERY_PARAMS } from '../src/platform/access/records.ts';

/**
 * Tenancy by construction (issue 11, point 10): every id a route names is looked up in the signed-in
 * person's school before its handler runs, so a handler's query that forgets `school_id` still
 * cannot reach another school's record.
 */

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe.each(dialects)('tenancy on %s', (dialect) => {
  let t: TestApp;
  /** One record of the other school for every parameter in the registry. */
  const other: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const school = t.fx.other.id;
    const now = '2026-11-23T09:00:00.000Z';
    const head = t.fx.staff.otherHead;
    other.pupilId = t.fx.pupils.otherPupil;
    other.carerId = t.fx.carers.otherCarer;
    other.staffId = head;
    other.linkId = (await t.db.selectFrom('carer_pupils').select('id').where('carer_id', '=', t.fx.carers.otherCarer).executeTakeFirstOrThrow()).id;
    other.restrictionId = newId();
    await t.db
      .insertInto('restrictions')
      .values({
        id: other.restrictionId,
        school_id: school,
        pupil_id: t.fx.pupils.otherPupil,
        carer_id: t.fx.carers.otherCarer,
        kind: 'court_order',
        stops_information: 1,
        stops_collection: 1,
        stops_contact: 1,
        details: 'An order at the other school',
        starts_on: '2026-01-01',
        ends_on: null,
        lifted_at: null,
        created_by: head,
        created_at: now,
      })
      .execute();
    other.batchId = newId();
    await t.db
      .insertInto('import_batches')
      .values({ id: other.batchId, school_id: school, kind: 'pupils', file_name: 'p.csv', csv_text: 'UPN\n', created_by: head, created_at: now, applied_at: null })
      .execute();
    other.messageId = newId();
    await t.db
      .insertInto('messages')
      .values({
        id: other.messageId,
        school_id: school,
        kind: 'newsletter',
        tone: 'information',
        subject: 'Other news',
        body: 'Other body',
        audience_json: JSON.stringify({ kind: 'school' }),
        asks_acknowledgement: 0,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    other.groupId = newId();
    await t.db.insertInto('carer_groups').values({ id: other.groupId, school_id: school, name: 'Other PTA' }).execute();
    other.termId = newId();
    await t.db.insertInto('glossary').values({ id: other.termId, school_id: school, term: 'PPA', plain: 'planning time' }).execute();
    other.schoolTermId = newId();
    await t.db.insertInto('school_terms').values({ id: other.schoolTermId, school_id: school, name: 'Autumn term 2026', starts_on: '2026-09-03', ends_on: '2026-12-18' }).execute();
    other.schoolClosureId = newId();
    await t.db.insertInto('school_closures').values({ id: other.schoolClosureId, school_id: school, reason: 'INSET day', starts_on: '2026-11-02', ends_on: '2026-11-02' }).execute();
    other.eveningId = newId();
    await t.db
      .insertInto('evenings')
      .values({
        id: other.eveningId,
        school_id: school,
        name: 'Other evening',
        modes: 'in_person',
        travel_gap_minutes: 5,
        separated_carers: 'own',
        booking_opens_at: '2026-11-01T18:00:00.000Z',
        booking_closes_at: '2026-11-25T12:00:00.000Z',
        published_at: now,
        created_by: head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const sessionId = newId();
    await t.db
      .insertInto('evening_sessions')
      .values({ id: sessionId, school_id: school, evening_id: other.eveningId, date: '2026-11-26', starts: '15:30', ends: '16:30', slot_minutes: 10, breaks_json: '[]' })
      .execute();
    other.slotId = newId();
    await t.db
      .insertInto('evening_slots')
      .values({
        id: other.slotId,
        school_id: school,
        evening_id: other.eveningId,
        session_id: sessionId,
        staff_id: head,
        starts_at: '2026-11-26T15:30:00.000Z',
        ends_at: '2026-11-26T15:40:00.000Z',
        unavailable: 0,
      })
      .execute();
    other.bookingId = newId();
    other.holdId = newId();
    await t.db
      .insertInto('evening_bookings')
      .values({
        id: other.bookingId,
        school_id: school,
        evening_id: other.eveningId,
        slot_id: other.slotId,
        staff_id: head,
        pupil_id: t.fx.pupils.otherPupil,
        carer_id: t.fx.carers.otherCarer,
        starts_at: '2026-11-26T15:30:00.000Z',
        ends_at: '2026-11-26T15:40:00.000Z',
        booking_key: t.fx.pupils.otherPupil,
        mode: 'in_person',
        status: 'held',
        hold_id: other.holdId,
        hold_expires_at: '2030-01-01T00:00:00.000Z',
        booked_by_kind: 'carer',
        booked_by_id: t.fx.carers.otherCarer,
        created_at: now,
        cancelled_at: null,
        cancelled_by_kind: null,
        cancelled_by_id: null,
        cancel_reason: null,
      })
      .execute();
    other.meetingId = newId();
    await t.db
      .insertInto('meetings')
      .values({
        id: other.meetingId,
        school_id: school,
        kind: 'appointment',
        status: 'scheduled',
        topic: 'Other meeting',
        outline: null,
        pupil_id: t.fx.pupils.otherPupil,
        urgent: 0,
        preferred_times: null,
        mode: 'in_person',
        interpreter_language: null,
        starts_at: '2026-11-20T09:00:00.000Z',
        ends_at: '2026-11-20T09:30:00.000Z',
        place: 'Office',
        video_link: null,
        evening_booking_id: null,
        requested_by_carer_id: null,
        possibly_difficult: 0,
        outcome: null,
        follow_up_on: null,
        follow_up_done_at: null,
        summary_sent_at: null,
        summary_version: null,
        referred_to: null,
        referred_at: null,
        referral_note: null,
        created_by_kind: 'staff',
        created_by_id: head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db.insertInto('meeting_carers').values({ meeting_id: other.meetingId, carer_id: t.fx.carers.otherCarer, school_id: school, prep_help_staff_id: null, prep_help_asked_at: null }).execute();
    other.noteId = newId();
    await t.db.insertInto('meeting_notes').values({ id: other.noteId, school_id: school, meeting_id: other.meetingId, body: 'A note', safeguarding: 0, written_by: head, created_at: now }).execute();
    other.contactId = newId();
    await t.db.insertInto('contact_log').values({ id: other.contactId, school_id: school, carer_id: other.carerId!, staff_id: head, kind: 'phone', note: 'A call', at: now }).execute();
    // What the other school's head told their DSL about Olly ("Tell the DSL", features/safeguarding).
    other.reportId = newId();
    await t.db
      .insertInto('dsl_reports')
      .values({ id: other.reportId, school_id: school, pupil_id: other.pupilId!, other_name: null, what: 'Olly said something worrying', happened_on: '2026-11-20', written_by: head, created_at: now })
      .execute();
    // A subject access request the other school's carer made about Olly (features/subject-access).
    other.accessRequestId = newId();
    await t.db
      .insertInto('access_requests')
      .values({
        id: other.accessRequestId,
        school_id: school,
        kind: 'subject_access',
        requester_carer_id: t.fx.carers.otherCarer,
        requester_name: null,
        requester_contact: null,
        about: 'pupil',
        pupil_id: other.pupilId!,
        about_other: null,
        received_on: '2026-11-20',
        identity_checked: 1,
        due_on: '2026-12-20',
        extended_reason: null,
        status: 'open',
        sent_on: null,
        refused_reason: null,
        closed_by: null,
        closed_at: null,
        created_by: head,
        created_at: now,
      })
      .execute();
    // A question the other school's carer sent ahead of its meeting ("Pass this to the DSL", features/safeguarding).
    other.agendaItemId = newId();
    await t.db
      .insertInto('meeting_agenda_items')
      .values({ id: other.agendaItemId, school_id: school, meeting_id: other.meetingId, text: 'Olga asks', added_by_kind: 'carer', added_by_id: t.fx.carers.otherCarer, created_at: now })
      .execute();
    // An attendance file the other school's head checked (features/attendance).
    other.attendanceImportId = newId();
    await t.db
      .insertInto('attendance_imports')
      .values({
        id: other.attendanceImportId,
        school_id: school,
        as_of: '2026-11-20',
        file_name: 'a.csv',
        csv_text: 'UPN,Possible,Attended\n',
        row_count: 0,
        created_by: head,
        created_at: now,
        applied_at: null,
        families_told_at: null,
      })
      .execute();
    other.actionId = newId();
    await t.db
      .insertInto('meeting_actions')
      .values({
        id: other.actionId,
        school_id: school,
        meeting_id: other.meetingId,
        owner_kind: 'school',
        staff_id: head,
        carer_id: null,
        what: 'Call',
        due_on: '2026-12-01',
        done_at: null,
        created_at: now,
      })
      .execute();
    // A concern of the other school's, from its own carer, with one entry.
    other.concernId = newId();
    await t.db
      .insertInto('concerns')
      .values({
        id: other.concernId,
        school_id: school,
        pupil_id: t.fx.pupils.otherPupil,
        carer_id: t.fx.carers.otherCarer,
        received_via: 'portal',
        contact_by: 'email',
        logged_by: null,
        status: 'closed',
        owner_id: head,
        category: 'other',
        raised_on: '2026-11-20',
        due_on: '2026-11-27',
        triaged_by: head,
        triaged_at: now,
        closed_at: now,
        closed_by: head,
        answered_at: null,
        reopened_count: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    other.entryId = newId();
    await t.db.insertInto('concern_entries').values({
      id: other.entryId,
      school_id: school,
      concern_id: other.concernId,
      kind: 'what_happened',
      body: 'Lost coat',
      contact_how: null,
      safeguarding: 0,
      written_by_kind: 'carer',
      staff_id: null,
      carer_id: t.fx.carers.otherCarer,
      created_at: now,
    });
    // Behaviour towards staff at the other school: a single point of contact, and a complaint closed as vexatious.
    other.arrangementId = newId();
    other.complaintId = newId();
    await t.db
      .insertInto('complaints')
      .values({
        id: other.complaintId,
        school_id: school,
        concern_id: other.concernId,
        pupil_id: t.fx.pupils.otherPupil,
        carer_id: t.fx.carers.otherCarer,
        stage: 'stage_1',
        made_by_kind: 'carer',
        made_by_staff: null,
        received_on: '2026-11-20',
        counts_from: '2026-11-20',
        acknowledge_by: '2026-11-27',
        respond_by: '2026-12-11',
        last_incident_on: '2026-11-19',
        late: 0,
        early_years_outcome_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    other.eventId = newId();
    await t.db
      .insertInto('complaint_events')
      .values({
        id: other.eventId,
        school_id: school,
        complaint_id: other.complaintId,
        kind: 'document',
        body: 'Register',
        staff_id: null,
        on_date: null,
        file_name: 'r.txt',
        file_type: 'text/plain',
        file_base64: 'TW9u',
        created_by_kind: 'staff',
        created_by: head,
        created_at: now,
      })
      .execute();
    await t.db
      .insertInto('conduct_arrangements')
      .values({
        id: other.arrangementId,
        school_id: school,
        carer_id: t.fx.carers.otherCarer,
        kind: 'single_contact',
        contact_staff_id: head,
        reason: 'Other reasons',
        starts_on: '2026-11-20',
        review_on: '2027-01-20',
        letter_subject: 'Other letter',
        letter_text: 'Dear Olga',
        letter_sent_by: 'paper',
        set_by: head,
        reviewed_at: null,
        reviewed_by: null,
        ended_at: null,
        ended_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // An incident at the other school ("Pass this to the DSL" beside it, features/safeguarding).
    other.incidentId = newId();
    await t.db
      .insertInto('conduct_incidents')
      .values({ id: other.incidentId, school_id: school, carer_id: t.fx.carers.otherCarer, happened_on: '2026-11-19', what: 'Other incident', recorded_by: head, created_at: now })
      .execute();
    other.closureId = newId();
    await t.db
      .insertInto('complaint_closures')
      .values({
        id: other.closureId,
        school_id: school,
        complaint_id: other.complaintId,
        carer_id: t.fx.carers.otherCarer,
        grounds: 'vexatious',
        reason: 'Other reason',
        dfe_route: 'www.gov.uk/contact-dfe',
        review_on: '2027-01-20',
        letter_sent_by: 'paper',
        decided_by: head,
        decided_on: '2026-11-23',
        reviewed_at: null,
        reviewed_by: null,
        created_at: now,
      })
      .execute();
    // A complaint made to the other school on its public form.
    other.publicId = newId();
    await t.db
      .insertInto('public_complaints')
      .values({
        id: other.publicId,
        school_id: school,
        name: 'Other Person',
        email: 'other.person@example.test',
        phone: null,
        connection: 'A neighbour',
        about: 'Other complaint',
        would_like: 'Other remedy',
        received_on: '2026-11-23',
        acknowledge_by: '2026-11-30',
        respond_by: '2026-12-14',
        status: 'new',
        decision_reason: null,
        decided_by: null,
        decided_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // A policy of the other school's, out for consultation, with a section, a theme and a comment from its own carer.
    other.policyId = newId();
    await t.db
      .insertInto('policies')
      .values({
        id: other.policyId,
        school_id: school,
        title: 'Other policy',
        owner_id: head,
        statutory_yearly: 1,
        last_reviewed_on: null,
        next_review_on: '2027-01-01',
        body: 'Olly',
        created_at: now,
        updated_at: now,
      })
      .execute();
    other.consultationId = newId();
    await t.db
      .insertInto('consultations')
      .values({
        id: other.consultationId,
        school_id: school,
        policy_id: other.policyId,
        title: 'Other consultation',
        audience_json: '{"kind":"school"}',
        status: 'open',
        closes_on: '2099-01-01',
        translate_comments: 1,
        created_by: head,
        summary: null,
        adopted_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const otherSection = newId();
    await t.db.insertInto('consultation_sections').values({ id: otherSection, school_id: school, consultation_id: other.consultationId, position: 1, heading: 'Part 1', body: 'Olly' }).execute();
    other.themeId = newId();
    await t.db
      .insertInto('consultation_themes')
      .values({ id: other.themeId, school_id: school, consultation_id: other.consultationId, title: 'Other theme', answer: null, created_at: now, updated_at: now })
      .execute();
    other.commentId = newId();
    await t.db
      .insertInto('consultation_comments')
      .values({
        id: other.commentId,
        school_id: school,
        consultation_id: other.consultationId,
        section_id: otherSection,
        carer_id: t.fx.carers.otherCarer,
        staff_id: null,
        body: 'Olga says',
        language: 'English',
        english: null,
        english_by: null,
        english_checked_by: null,
        theme_id: null,
        created_at: now,
      })
      .execute();
    // An agreement version of the other school's.
    other.versionId = newId();
    await t.db
      .insertInto('agreement_versions')
      .values({
        id: other.versionId,
        school_id: school,
        version: 1,
        status: 'published',
        title: 'Other agreement',
        carers_text: 'Read at home',
        pupils_text: 'Be kind',
        asks_resigning: 1,
        change_note: null,
        published_at: now,
        published_by: head,
        created_by: head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // A profile of the other school's pupil, with a proposal waiting.
    const otherProfile = newId();
    await t.db
      .insertInto('profiles')
      .values({ id: otherProfile, school_id: school, pupil_id: t.fx.pupils.otherPupil, version: 1, review_due_on: null, review_kind: null, created_by: head, created_at: now, updated_at: now })
      .execute();
    other.proposalId = newId();
    await t.db
      .insertInto('profile_proposals')
      .values({
        id: other.proposalId,
        school_id: school,
        profile_id: otherProfile,
        base_version: 1,
        by_kind: 'staff',
        staff_id: head,
        carer_id: null,
        admire: 'Kind',
        important: null,
        support: null,
        pupil_voice: null,
        admire_staff: null,
        important_staff: null,
        support_staff: null,
        words: null,
        words_language: null,
        note: null,
        status: 'pending',
        decided_by: null,
        decided_at: null,
        decision_note: null,
        created_at: now,
      })
      .execute();
    // The other school's support directory entry and a buddy match there (one carer on both sides is enough to be a record).
    other.supportId = newId();
    await t.db
      .insertInto('support_entries')
      .values({
        id: other.supportId,
        school_id: school,
        name: 'Other food bank',
        kind: 'service',
        description: 'Food',
        opening_times: 'Tuesdays',
        languages: 'English',
        contact: '01632 960999',
        tags: 'food',
        archived_at: null,
        created_by: head,
        created_at: now,
        updated_at: now,
      })
      .execute();
    other.matchId = newId();
    await t.db
      .insertInto('buddy_matches')
      .values({
        id: other.matchId,
        school_id: school,
        newcomer_id: t.fx.carers.otherCarer,
        buddy_id: t.fx.carers.otherCarer,
        newcomer_consent_at: null,
        buddy_consent_at: null,
        declined_at: null,
        recorded_by: head,
        recorded_on: now.slice(0, 10),
        check_in_on: now.slice(0, 10),
        checked_in_at: null,
        checked_in_by: null,
        check_in_note: null,
        withdrawn_by: null,
        withdrawn_reason: null,
        created_at: now,
      })
      .execute();
    other.surveyId = await createSurvey(
      t.db,
      { kind: 'staff', id: head, schoolId: school },
      school,
      { title: 'Other survey', intro: '', anonymous: true, audience: { kind: 'carers', audience: { kind: 'school' } }, template: 'pupils', baselineId: null },
      new Date(now),
    );
    other.questionId = (await t.db.selectFrom('survey_questions').select('id').where('survey_id', '=', other.surveyId).executeTakeFirstOrThrow()).id;
    // An answer someone wrote in the other school's survey (for "Pass this to the DSL" beside it).
    const otherResponse = newId();
    await t.db.insertInto('survey_responses').values({ id: otherResponse, school_id: school, survey_id: other.surveyId, invitation_id: null, via: 'online', submitted_on: '2026-11-20' }).execute();
    other.answerId = newId();
    await t.db
      .insertInto('survey_answers')
      .values({ id: other.answerId, school_id: school, survey_id: other.surveyId, response_id: otherResponse, question_id: other.questionId, value: 'Other words' })
      .execute();
    // An event with a session, and a volunteering role with an offer, of the other school's.
    other.schoolEventId = newId();
    await t.db
      .insertInto('events')
      .values({
        id: other.schoolEventId,
        school_id: school,
        kind: 'concert',
        title: 'Other concert',
        description: '',
        place: 'Hall',
        audience_json: JSON.stringify({ kind: 'school' }),
        status: 'published',
        created_by: head,
        created_at: now,
        published_at: now,
        reminded_at: null,
      })
      .execute();
    other.eventSessionId = newId();
    await t.db
      .insertInto('event_sessions')
      .values({ id: other.eventSessionId, school_id: school, event_id: other.schoolEventId, starts_at: '2027-01-10T18:00:00.000Z', ends_at: '2027-01-10T19:00:00.000Z' })
      .execute();
    other.opportunityId = newId();
    await t.db
      .insertInto('volunteer_opportunities')
      .values({ id: other.opportunityId, school_id: school, kind: 'pta', title: 'Other PTA', description: '', needs_dbs: 0, status: 'open', created_by: head, created_at: now })
      .execute();
    other.volunteerId = newId();
    await t.db
      .insertInto('volunteers')
      .values({
        id: other.volunteerId,
        school_id: school,
        opportunity_id: other.opportunityId,
        carer_id: t.fx.carers.otherCarer,
        status: 'offered',
        offer_note: null,
        supervised: null,
        dbs_certificate: null,
        dbs_checked_on: null,
        barred_list_checked: 0,
        risk_assessment: null,
        risk_assessed_on: null,
        approved_on: null,
        approved_by: null,
        review_on: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // A translation asked of the other school's carer, about the other school's message.
    other.translationRequestId = newId();
    await t.db
      .insertInto('translation_requests')
      .values({
        id: other.translationRequestId,
        school_id: school,
        message_id: other.messageId!,
        language: 'Polish',
        volunteer_id: other.volunteerId,
        carer_id: t.fx.carers.otherCarer,
        status: 'asked',
        asked_by: head,
        asked_at: now,
        answered_at: null,
      })
      .execute();
  });
  afterAll(async () => t?.close());

  it('knows every route parameter: each names a record looked up in the school, or is listed as naming none', () => {
    const names = new Set(t.app.gatepostRoutes.flatMap((route) => paramsOf(route.url)));
    const unknown = [...names].filter((name) => !(name in RECORD_PARAMS) && !(name in NOT_RECORDS));
    expect(unknown).toEqual([]);
    // Every registry entry is one a route uses, and this test has a record of the other school for it.
    expect(Object.keys(RECORD_PARAMS).filter((name) => !names.has(name))).toEqual([]);
    expect(Object.keys(RECORD_PARAMS).filter((name) => !(name in other))).toEqual([]);
  });

  it('knows every query parameter a handler reads', () => {
    const read = new Set<string>();
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/request\.query as \{([^}]*)\}/g)) {
        for (const key of match[1]!.matchAll(/([A-Za-z_]+)\??:/g)) read.add(key[1]!);
      }
      for (const match of text.matchAll(/(\w+)Query\.parse\(request\.query/g)) read.add(`schema:${match[1]}`);
    }
    const unknown = [...read].filter((key) => !key.startsWith('schema:') && !(key in RECORD_QUERY_PARAMS) && !(key in NOT_RECORDS));
    expect(unknown).toEqual([]);
  });

  async function counts(): Promise<Record<string, number>> {
    const tables = (await ownTables(t.db)).filter((name) => name !== 'sessions');
    const row = (await sql<Record<string, number | string>>`select ${sql.join(tables.map((name) => sql`(select count(*) from ${sql.table(name)}) as ${sql.ref(name)}`))}`.execute(t.db)).rows[0]!;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  }

  it("answers 404 to Brookfield's head and a Brookfield carer on every route naming the other school's records, and changes nothing", async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const dsl = await t.as('staff', t.fx.staff.dsl);
    const carer = await t.as('carer', t.fx.carers.marta);
    const problems: string[] = [];
    const before = await counts();
    for (const route of t.app.gatepostRoutes) {
      const names = paramsOf(route.url).filter((name) => name in RECORD_PARAMS);
      if (names.length === 0) continue;
      const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => other[name] ?? 'English');
      for (const [who, client] of Object.entries({ head, dsl, carer })) {
        const res = route.method === 'GET' ? await client.get(url) : await client.post(url, { subject: 'Changed', body: 'Changed', name: 'Changed', plain: 'Changed' });
        if (res.statusCode !== 404) problems.push(`${route.method} ${route.url} as ${who}: ${res.statusCode}`);
        if (res.body.includes('Olly') || res.body.includes('Olga') || res.body.includes('Other meeting') || res.body.includes('Other news'))
          problems.push(`${route.method} ${route.url} as ${who} shows the other school's names`);
      }
    }
    expect(problems).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it("still answers 404 to Brookfield after the other school's head opened the record (its school is remembered, not its answer)", async () => {
    const theirHead = await t.as('staff', t.fx.staff.otherHead, t.fx.other.id);
    const ourHead = await t.as('staff', t.fx.staff.head);
    const url = `/pupils/${other.pupilId}`;
    for (let i = 0; i < 2; i++) {
      expect((await theirHead.get(url)).statusCode).toBe(200);
      expect((await ourHead.get(url)).statusCode).toBe(404);
    }
    const ours = `/pupils/${t.fx.pupils.kuba}`;
    expect((await ourHead.get(ours)).statusCode).toBe(200);
    expect((await theirHead.get(ours)).statusCode).toBe(404);
  });

  it('does not show a teacher, on "write a message", a pupil outside their classes or of another school (?pupil=)', async () => {
    const teacher = await t.as('staff', t.fx.staff.teacher);
    const own = await teacher.get(`/messages/new?pupil=${t.fx.pupils.kuba}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Jakub');
    for (const pupil of [t.fx.pupils.leo, t.fx.pupils.otherPupil]) {
      const res = await teacher.get(`/messages/new?pupil=${t.fx.pupils.kuba}&pupil=${pupil}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('Mensah');
      expect(res.body).not.toContain('Olly');
    }
    const head = await t.as('staff', t.fx.staff.head);
    expect((await head.get(`/messages/new?pupil=${t.fx.pupils.otherPupil}`)).statusCode).toBe(404);
    expect((await head.get(`/pupils?class=${t.fx.classes.other}`)).statusCode).toBe(404);
    expect((await head.get(`/pupils?class=${t.fx.classes.y3}`)).statusCode).toBe(200);
  });

  it("does not let a carer ask for a meeting about another family's child (?pupil=)", async () => {
    const marta = await t.as('carer', t.fx.carers.marta);
    expect((await marta.get(`/my-meetings/request?pupil=${t.fx.pupils.kuba}`)).statusCode).toBe(200);
    expect((await marta.get(`/my-meetings/request?pupil=${t.fx.pupils.lily}`)).statusCode).toBe(404);
    expect((await marta.get(`/my-meetings/request?pupil=${t.fx.pupils.otherPupil}`)).statusCode).toBe(404);
  });
});
