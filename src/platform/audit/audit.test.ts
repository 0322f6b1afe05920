import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { audit } from './audit.ts';
import { actionWords, changeLines } from './describe.ts';

describe('the audit log in words', () => {
  it('says what happened and what changed, with times in the school’s zone', () => {
    expect(actionWords('pupil.updated')).toBe('Pupil updated');
    expect(actionWords('pupil.updated', 'Jakub Nowak')).toBe('Pupil Jakub Nowak updated');
    expect(actionWords('evening_booking.left')).toBe('Parents’ evening appointment left');
    expect(actionWords('carer.sign_in_code_issued')).toBe('Carer sign in code issued');
    expect(changeLines('{"family_name":"Nowak","eal":0}', '{"family_name":"Nowak-Smith","eal":1}', 'Europe/London')).toEqual([
      'Last name: Nowak → Nowak-Smith',
      'English as an additional language: no → yes',
    ]);
    expect(changeLines(null, '{"expires_at":"2026-12-07T17:05:02.580Z"}', 'Europe/London')).toEqual(['Expires at: 7 December 2026 at 5:05pm']);
    // An entry recorded with nothing, or not an object of fields, reads as no change rather than breaking the log.
    expect(changeLines('null', '{"title":"Coffee morning"}', 'Europe/London')).toEqual(['Title: Coffee morning']);
    expect(changeLines('["a"]', 'null', 'Europe/London')).toEqual([]);
  });

  it('leaves out what did not change, and turns codes, dates and lists into words', () => {
    expect(changeLines('{"status":"held","mode":"in_person"}', '{"status":"held","mode":"video_call","follow_up_on":"2026-12-14","emailed":[]}', 'Europe/London')).toEqual([
      'Mode: in person → video call',
      'Follow up on: 14 December 2026',
      'Emailed: none',
    ]);
  });

  it('names a field in the words of the record it belongs to: a concern’s due date is the aim to resolve it, the data unchanged', () => {
    expect(changeLines('{"due_on":"2026-12-10"}', '{"due_on":"2026-12-03"}', 'Europe/London', undefined, 'concern')).toEqual(['Aim to resolve by: 10 December 2026 → 3 December 2026']);
    expect(changeLines(null, '{"due_on":"2026-12-03"}', 'Europe/London', undefined, 'meeting_action')).toEqual(['Due: 3 December 2026']);
  });
});

describe.each(dialects)('the audit log page on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('names people and records instead of showing their ids or JSON', async () => {
    const { fx } = t;
    await audit(
      t.db,
      { kind: 'staff', id: fx.staff.teacher, schoolId: fx.school.id },
      {
        schoolId: fx.school.id,
        action: 'meeting.summary_sent',
        entity: 'pupil',
        entityId: fx.pupils.kuba,
        before: { status: 'held' },
        after: { status: 'held', emailed: [fx.carers.marta, fx.carers.tomasz], lead_id: fx.staff.teacher },
      },
    );
    const page = (await (await t.as('staff', fx.staff.head)).get('/audit')).body;
    const table = page.slice(page.indexOf('<tbody'), page.indexOf('</tbody>'));
    expect(table).toContain('Meeting Jakub Nowak summary sent');
    expect(table).toContain('Emailed: Marta Nowak and Tomasz Nowak');
    expect(table).toContain('Led by: Mr Okafor');
    expect(table).not.toContain('held → held');
    // Ids appear only inside the links to a record's history, never as words on the page.
    const words = table.replace(/<[^>]*>/g, ' ');
    expect(words).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/i);
    expect(words).not.toMatch(/[[\]{}"]/);
  });
});
