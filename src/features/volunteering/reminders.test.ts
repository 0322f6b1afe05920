import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { makeFixture } from '../../../test/support/fixture.ts';
import type { VolunteerStatus } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { sendVolunteerReviewReminders } from './index.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const BASE = 'http://gatepost.test';

/** Ms Byrne (office) and Mrs Patel (head) hear when an approved volunteer's review is near or past; once per review date. */
describe.each(dialects)('volunteer review reminders on %s', (dialect) => {
  let t: TestDb;
  let fx: Awaited<ReturnType<typeof makeFixture>>;
  let role: string;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    fx = await makeFixture(t.db);
    role = newId();
    const at = NOW.toISOString();
    await t.db
      .insertInto('volunteer_opportunities')
      .values({ id: role, school_id: fx.school.id, kind: 'reading_partner', title: 'Reading partner', description: '', needs_dbs: 0, status: 'open', created_by: fx.staff.office, created_at: at })
      .execute();
  });
  afterAll(async () => t?.close());

  async function volunteer(carerId: string, status: VolunteerStatus, reviewOn: string | null, opportunityId = role): Promise<string> {
    const id = newId();
    const at = NOW.toISOString();
    await t.db
      .insertInto('volunteers')
      .values({
        id,
        school_id: fx.school.id,
        opportunity_id: opportunityId,
        carer_id: carerId,
        status,
        offer_note: null,
        supervised: 1,
        dbs_certificate: null,
        dbs_checked_on: null,
        barred_list_checked: 0,
        risk_assessment: 'Always with a teacher in sight',
        risk_assessed_on: '2025-11-20',
        approved_on: status === 'offered' ? null : '2025-11-20',
        approved_by: status === 'offered' ? null : fx.staff.office,
        review_on: reviewOn,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  }
  const reminders = (id: string) => t.db.selectFrom('outbox').select(['recipient', 'payload_json']).where('idempotency_key', 'like', `email:volunteer-review:${id}:%`).orderBy('recipient').execute();

  it('reminds the office and the head once for a review within 14 days or past, and not for one further off or an offer not approved', async () => {
    const grace = await volunteer(fx.carers.grace, 'approved', '2026-12-08'); // 12 days on
    const mark = await volunteer(fx.carers.mark, 'approved', '2026-11-01'); // past
    const sarah = await volunteer(fx.carers.sarah, 'approved', '2026-12-11'); // 15 days on: not yet
    const marta = await volunteer(fx.carers.marta, 'withdrawn', '2026-11-01');
    const tomasz = await volunteer(fx.carers.tomasz, 'offered', null);
    const declined = await volunteer(fx.carers.socialWorker, 'declined', '2026-11-01');

    await sendVolunteerReviewReminders(t.db, NOW, BASE);
    await sendVolunteerReviewReminders(t.db, NOW, BASE); // the job runs again: nothing more

    const toGrace = await reminders(grace);
    expect(toGrace.map((r) => r.recipient)).toEqual(['byrne@brookfield.test', 'patel@brookfield.test']);
    const mail = JSON.parse(toGrace[0]!.payload_json) as { subject: string; text: string };
    expect(mail.subject).toBe('Grace Mensah’s volunteer review is due on 8 December 2026');
    expect(mail.text).toContain('Dear Siobhan');
    expect(mail.text).toContain(`${BASE}/volunteering/volunteers/${grace}`);
    expect(await reminders(mark)).toHaveLength(2);
    for (const id of [sarah, marta, tomasz, declined]) expect(await reminders(id)).toHaveLength(0);

    // A day later Sarah's review is within 14 days: her reminder goes, and Grace's is not sent again.
    await sendVolunteerReviewReminders(t.db, new Date('2026-11-27T10:00:00.000Z'), BASE);
    expect(await reminders(sarah)).toHaveLength(2);
    expect(await reminders(grace)).toHaveLength(2);

    // Reviewed, with a new review date a year on: that date will get its own reminder, not this one again.
    await t.db.updateTable('volunteers').set({ review_on: '2027-12-08' }).where('id', '=', grace).execute();
    await sendVolunteerReviewReminders(t.db, NOW, BASE);
    expect(await reminders(grace)).toHaveLength(2);
    await sendVolunteerReviewReminders(t.db, new Date('2027-11-30T10:00:00.000Z'), BASE);
    expect(await reminders(grace)).toHaveLength(4);
  });

  it('does not remind anyone of a volunteer whose role the school has closed', async () => {
    const at = NOW.toISOString();
    const trips = newId();
    await t.db
      .insertInto('volunteer_opportunities')
      .values({ id: trips, school_id: fx.school.id, kind: 'trip_helper', title: 'Summer trip helper', description: '', needs_dbs: 0, status: 'closed', created_by: fx.staff.office, created_at: at })
      .execute();
    const closed = await volunteer(fx.carers.grace, 'approved', '2026-12-01', trips); // review due in 5 days, in a closed role
    const open = await volunteer(fx.carers.faduma, 'approved', '2026-12-01'); // the same date in an open role
    await sendVolunteerReviewReminders(t.db, NOW, BASE);
    expect(await reminders(closed)).toHaveLength(0);
    expect((await reminders(open)).map((r) => r.recipient)).toEqual(['byrne@brookfield.test', 'patel@brookfield.test']);

    // Opened again, its volunteers' reviews are reminded as before.
    await t.db.updateTable('volunteer_opportunities').set({ status: 'open' }).where('id', '=', trips).execute();
    await sendVolunteerReviewReminders(t.db, NOW, BASE);
    expect(await reminders(closed)).toHaveLength(2);
  });
});
