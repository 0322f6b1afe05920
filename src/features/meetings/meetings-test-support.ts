import type { TestApp, Client } from '../../../test/support/app.ts';
import type { EmailPayload } from '../../platform/outbox/outbox.ts';
import { scheduleMeeting, type ScheduleInput } from './meetings-schedule.ts';

/** Helpers shared by the meeting tests (not a test file itself). */

/** The emails written to the outbox for one address, oldest first. */
export async function emailsTo(t: TestApp, address: string): Promise<(EmailPayload & { key: string })[]> {
  const rows = await t.db.selectFrom('outbox').select(['payload_json', 'idempotency_key', 'created_at']).where('recipient', '=', address).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ ...(JSON.parse(r.payload_json) as EmailPayload), key: r.idempotency_key }));
}

export async function alertsOf(t: TestApp, staffId: string) {
  return t.db.selectFrom('staff_alerts').selectAll().where('staff_id', '=', staffId).orderBy('created_at').execute();
}

/** The form id a page drew, for posting it back. */
export function formIdIn(html: string): string {
  const found = /name="form_id" value="([^"]+)"/.exec(html);
  if (!found) throw new Error('No form_id on the page');
  return found[1]!;
}

/** The meeting id from a redirect like /my-meetings/<id>?done=… */
export function idFrom(location: unknown): string {
  return String(location).split('?')[0]!.split('/').pop()!;
}

/** Marta asks for an ordinary meeting about Kuba; returns its id. */
export async function martaAsks(t: TestApp, marta: Client, extra: Record<string, string | string[]> = {}): Promise<string> {
  const form = await marta.get('/my-meetings/request');
  const res = await marta.post('/my-meetings/request', {
    form_id: formIdIn(form.body),
    pupil_id: t.fx.pupils.kuba,
    topic: 'Reading at home',
    outline: 'Kuba does not want to read with me in the evenings. How can I help?',
    times: ['after_school', 'evening'],
    times_words: 'Not on Mondays',
    mode: 'in_person',
    interpreter: 'yes',
    interpreter_language: 'Polish',
    urgent: 'no',
    ...extra,
  });
  if (res.statusCode !== 303) throw new Error(`Request refused (${res.statusCode}): ${res.body.slice(0, 500)}`);
  return idFrom(res.headers.location);
}

/** Mr Okafor arranges a meeting with Marta about Kuba (through the same function the form uses). */
export async function okaforArranges(t: TestApp, now: Date, extra: Partial<ScheduleInput> = {}): Promise<string> {
  const result = await scheduleMeeting(
    t.db,
    { kind: 'staff', id: t.fx.staff.teacher, schoolId: t.fx.school.id },
    {
      kind: 'progress',
      topic: 'How Kuba is getting on',
      pupilId: t.fx.pupils.kuba,
      carerIds: [t.fx.carers.marta],
      leadId: t.fx.staff.teacher,
      colleagueId: null,
      inviteLiaison: false,
      startsAt: '2026-12-01T15:30:00.000Z',
      endsAt: '2026-12-01T15:50:00.000Z',
      mode: 'in_person',
      place: 'Room 3',
      videoLink: null,
      interpreterLanguage: null,
      ...extra,
    },
    { now, baseUrl: 'http://gatepost.test' },
  );
  if (!result.ok) throw new Error(`Could not arrange: ${JSON.stringify(result.errors)}`);
  return result.id;
}
