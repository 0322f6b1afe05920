import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { makeFixture } from '../../../test/support/fixture.ts';
import { newId } from '../../platform/ids.ts';
import { sendBuddyCheckInReminders } from './index.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const BASE = 'http://gatepost.test';

/** Four weeks after a buddy match, Ms Lewis (family liaison) is reminded to check in: once per match, never for a declined or checked-in one. */
describe.each(dialects)('buddy check-in reminders on %s', (dialect) => {
  let t: TestDb;
  let fx: Awaited<ReturnType<typeof makeFixture>>;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    fx = await makeFixture(t.db);
  });
  afterAll(async () => t?.close());

  async function match(newcomer: string, buddy: string, checkInOn: string, more: { declined_at?: string; checked_in_at?: string } = {}): Promise<string> {
    const id = newId();
    await t.db
      .insertInto('buddy_matches')
      .values({
        id,
        school_id: fx.school.id,
        newcomer_id: newcomer,
        buddy_id: buddy,
        newcomer_consent_at: null,
        buddy_consent_at: null,
        declined_at: more.declined_at ?? null,
        recorded_by: fx.staff.family_liaison,
        recorded_on: '2026-10-29',
        check_in_on: checkInOn,
        checked_in_at: more.checked_in_at ?? null,
        checked_in_by: more.checked_in_at ? fx.staff.family_liaison : null,
        check_in_note: more.checked_in_at ? 'Going well' : null,
        withdrawn_by: null,
        withdrawn_reason: null,
        created_at: NOW.toISOString(),
      })
      .execute();
    return id;
  }
  const reminders = (id: string) => t.db.selectFrom('outbox').select(['recipient', 'payload_json']).where('idempotency_key', 'like', `email:buddy-check-in:${id}:%`).execute();

  it('one email to the family liaison officer per match due, even when the job runs twice', async () => {
    const due = await match(fx.carers.marta, fx.carers.grace, '2026-11-26');
    const notYet = await match(fx.carers.mark, fx.carers.grace, '2026-11-27');
    const declined = await match(fx.carers.sarah, fx.carers.grace, '2026-11-20', { declined_at: '2026-11-01T10:00:00.000Z' });
    const checked = await match(fx.carers.tomasz, fx.carers.grace, '2026-11-20', { checked_in_at: '2026-11-21T10:00:00.000Z' });

    await sendBuddyCheckInReminders(t.db, NOW, BASE);
    await sendBuddyCheckInReminders(t.db, NOW, BASE);

    const sent = await reminders(due);
    expect(sent.map((r) => r.recipient)).toEqual(['lewis@brookfield.test']);
    const mail = JSON.parse(sent[0]!.payload_json) as { subject: string; text: string };
    expect(mail.subject).toBe('Buddy match check-in due: Marta Nowak and Grace Mensah');
    expect(mail.text).toContain('Dear Carys');
    expect(mail.text).toContain(`${BASE}/community`);
    for (const id of [notYet, declined, checked]) expect(await reminders(id)).toHaveLength(0);

    // The next day the second match is due: it is reminded, the first is not again.
    await sendBuddyCheckInReminders(t.db, new Date('2026-11-27T10:00:00.000Z'), BASE);
    expect(await reminders(notYet)).toHaveLength(1);
    expect(await reminders(due)).toHaveLength(1);
  });

  it('goes to the head when the school has no family liaison officer in post', async () => {
    await t.db.updateTable('staff').set({ archived_at: NOW.toISOString() }).where('id', '=', fx.staff.family_liaison).execute();
    const due = await match(fx.carers.faduma, fx.carers.grace, '2026-11-26');
    await sendBuddyCheckInReminders(t.db, NOW, BASE);
    expect((await reminders(due)).map((r) => r.recipient)).toEqual(['patel@brookfield.test']);
  });
});
