import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { carerLink, FIXTURE_PASSWORD, insertStaff, staffRow } from '../../../test/support/fixture.ts';
import { hashPassword } from './passwords.ts';
import { loadSession } from './sessions.ts';

/**
 * A trust's member of staff works in two schools with one email (issue 11, point 11): the email is
 * unique within a school, and the password says which school's record signs in.
 */
describe.each(dialects)('one staff email in two schools, on %s', (dialect) => {
  let t: TestApp;
  const OTHER_PASSWORD = 'a different password for the other school';
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const now = '2026-11-23T10:00:00.000Z';
    const row = staffRow(now, {
      school_id: t.fx.other.id,
      email: 'okafor@brookfield.test',
      title: 'Mr',
      given_name: 'Chidi',
      family_name: 'Okafor',
      job_title: 'Teacher',
      password_hash: await hashPassword(OTHER_PASSWORD),
    });
    await insertStaff(t.db, row, ['teacher']);
  });
  afterAll(async () => t?.close());

  async function signedInSchool(password: string): Promise<string | null> {
    const res = await t.anonymous().post('/sign-in', { email: 'okafor@brookfield.test', password });
    if (res.statusCode !== 303) return null;
    const cookie = [res.headers['set-cookie']]
      .flat()
      .map(String)
      .find((c) => c.startsWith('gatepost='))!;
    const loaded = await loadSession(t.db, cookie.split(';')[0]!.slice('gatepost='.length), t.config.sessions, new Date());
    return loaded?.user?.schoolId ?? null;
  }

  it('signs in to the school whose record the password belongs to', async () => {
    expect(await signedInSchool(FIXTURE_PASSWORD)).toBe(t.fx.school.id);
    expect(await signedInSchool(OTHER_PASSWORD)).toBe(t.fx.other.id);
    expect(await signedInSchool('neither school has this password')).toBeNull();
  });

  it('keeps an email unique within one school', async () => {
    const again = t.db
      .insertInto('staff')
      .values(staffRow('2026-11-23T10:00:00.000Z', { school_id: t.fx.school.id, email: 'okafor@brookfield.test', title: 'Mr', given_name: 'Another', family_name: 'Okafor', job_title: 'Teacher' }))
      .execute();
    await expect(again).rejects.toThrow();
  });

  it("refuses a row that names another school's parent, and a value outside a closed set", async () => {
    // A link between Brookfield's Marta and the other school's pupil: the composite key refuses it.
    const crossed = t.db
      .insertInto('carer_pupils')
      .values(carerLink({ school_id: t.fx.school.id, carer_id: t.fx.carers.marta, pupil_id: t.fx.pupils.otherPupil }))
      .execute();
    await expect(crossed).rejects.toThrow();
    const role = t.db
      .insertInto('staff_roles')
      .values({ staff_id: t.fx.staff.teacher, school_id: t.fx.school.id, role: 'superuser' as never })
      .execute();
    await expect(role).rejects.toThrow();
  });
});
