import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { interpreterProblem } from './meetings-rules.ts';
import { formIdIn, idFrom } from './meetings-test-support.ts';
import { insertMeeting } from './record-test-data.ts';

const NOW = new Date('2026-11-23T09:00:00.000Z'); // Monday, GMT

describe('who interprets (a rule of its own)', () => {
  it('asks who, once a language is given; nobody interprets without one', () => {
    expect(interpreterProblem(null, null, true)).toBeNull();
    expect(interpreterProblem('Polish', null, false)).toBe('Choose who will interpret');
  });

  it('never lets a family member or friend interpret when the safeguarding lead meets the family', () => {
    expect(interpreterProblem('Polish', 'family', true)).toMatch(/^A family member or friend must never interpret .* a member of staff who speaks Polish$/);
    expect(interpreterProblem('Polish', 'family', false)).toBeNull();
    expect(interpreterProblem('Polish', 'professional', true)).toBeNull();
    expect(interpreterProblem('Polish', 'staff', true)).toBeNull();
  });
});

describe.each(dialects)('who interprets at a meeting, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  async function form() {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get(`/meetings/new?pupil=${t.fx.pupils.kuba}`);
    expect(page.body).toContain('Who will interpret');
    expect(page.body).not.toMatch(/value="child"/);
    return {
      head,
      fields: {
        form_id: formIdIn(page.body),
        pupil_id: t.fx.pupils.kuba,
        kind: 'appointment',
        topic: 'Something Kuba said at school',
        carer_ids: [t.fx.carers.marta],
        lead_id: t.fx.staff.dsl,
        date: '2026-12-02',
        time: '15:30',
        minutes: '30',
        mode: 'in_person',
        place: 'The quiet room',
        interpreter_language: 'Polish',
      },
    };
  }

  it('asks who will interpret, and refuses a family member when the DSL leads, keeping what was typed', async () => {
    const { head, fields } = await form();
    const nobody = await head.post('/meetings/new', fields);
    expect(nobody.statusCode).toBe(400);
    expect(nobody.body).toContain('Choose who will interpret');
    expect(nobody.body).toContain('value="Polish"');
    const family = await head.post('/meetings/new', { ...fields, interpreter_by: 'family' });
    expect(family.statusCode).toBe(400);
    expect(family.body).toContain('A family member or friend must never interpret when the Designated Safeguarding Lead meets the family');
    expect(family.body).toMatch(/value="family"[^>]*checked/);
    // The same with the deputy DSL as the colleague and a teacher leading.
    const deputy = await head.post('/meetings/new', { ...fields, lead_id: t.fx.staff.teacher, colleague_id: t.fx.staff.deputy_dsl, interpreter_by: 'family' });
    expect(deputy.body).toContain('A family member or friend must never interpret');
    expect(await t.db.selectFrom('meetings').select('id').execute()).toEqual([]);
  });

  it('arranges it with a professional interpreter and says so on the meeting', async () => {
    const { head, fields } = await form();
    const saved = await head.post('/meetings/new', { ...fields, interpreter_by: 'professional' });
    expect(saved.statusCode).toBe(303);
    const id = idFrom(saved.headers.location as string);
    const row = await t.db.selectFrom('meetings').select(['interpreter_language', 'interpreter_by']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ interpreter_language: 'Polish', interpreter_by: 'professional' });
    expect((await head.get(`/meetings/${id}`)).body).toContain('Polish – a professional interpreter');
  });

  it('tells the DSL to hear the family again when a family member interpreted where a safeguarding concern was recorded', async () => {
    const id = await insertMeeting(t.db, t.fx, { pupilId: t.fx.pupils.kuba, leadId: t.fx.staff.teacher, carerIds: [t.fx.carers.marta] });
    await t.db.updateTable('meetings').set({ interpreter_language: 'Polish', interpreter_by: 'family' }).where('id', '=', id).execute();
    const warning = 'A family member or friend interpreted (Polish) at this meeting';
    const dsl = await t.as('staff', t.fx.staff.dsl);
    expect((await dsl.get(`/meetings/${id}/record`)).body).not.toContain(warning);
    const teacher = await t.as('staff', t.fx.staff.teacher);
    expect((await teacher.post(`/meetings/${id}/record/notes`, { body: 'Kuba’s uncle translated; Kuba said he is scared to go home.', safeguarding: 'yes' })).statusCode).toBe(303);
    expect((await dsl.get(`/meetings/${id}/record`)).body).toContain(warning);
    expect((await teacher.get(`/meetings/${id}/record`)).body).not.toContain(warning);
  });
});
