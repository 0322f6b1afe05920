import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import type { ConcernCategory, ConcernStatus } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';

const NOW = new Date('2026-12-03T10:00:00.000Z'); // Thursday, autumn term (before the real clock: sessions are made now)

/**
 * The governors' monitoring page: the head sees every figure; a governor sees small ones as
 * "fewer than 5"; the count of formal complaints last year is there for a parent who asks.
 */
describe.each(dialects)('concerns and complaints in figures, on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const fx = t.fx;
    const at = NOW.toISOString();
    const concern = async (category: ConcernCategory | null, status: ConcernStatus, raisedOn: string, takenAt: string | null, closedAt: string | null) => {
      const id = newId();
      await t.db
        .insertInto('concerns')
        .values({
          id,
          school_id: fx.school.id,
          pupil_id: fx.pupils.kuba,
          carer_id: fx.carers.marta,
          received_via: 'phone',
          contact_by: 'phone',
          logged_by: fx.staff.office,
          status,
          owner_id: takenAt ? fx.staff.teacher : fx.staff.head,
          category,
          raised_on: raisedOn,
          due_on: raisedOn,
          triaged_by: takenAt ? fx.staff.head : null,
          triaged_at: takenAt,
          closed_at: closedAt,
          closed_by: closedAt ? fx.staff.teacher : null,
          answered_at: null,
          reopened_count: 0,
          created_at: at,
          updated_at: at,
        })
        .execute();
      return id;
    };
    // Six bullying concerns in the autumn term, each taken on the next day and answered in 3 school days.
    for (let i = 0; i < 6; i++) await concern('bullying', 'resolved', '2026-11-02', '2026-11-03T09:00:00.000Z', '2026-11-05T15:00:00.000Z');
    // Two about SEND, one answered after 20 school days (late), one still open.
    await concern('send', 'closed', '2026-11-02', '2026-11-03T09:00:00.000Z', '2026-11-30T15:00:00.000Z');
    await concern('send', 'open', '2026-11-09', '2026-11-10T09:00:00.000Z', null);
    // Last school year: one concern that became a formal complaint.
    const old = await concern('learning', 'closed', '2025-11-10', '2025-11-11T09:00:00.000Z', '2025-11-20T09:00:00.000Z');
    await t.db
      .insertInto('complaints')
      .values({
        id: newId(),
        school_id: fx.school.id,
        concern_id: old,
        pupil_id: fx.pupils.kuba,
        carer_id: fx.carers.marta,
        stage: 'stage_1',
        made_by_kind: 'carer',
        made_by_staff: null,
        received_on: '2025-12-01',
        counts_from: '2025-12-01',
        acknowledge_by: '2025-12-08',
        respond_by: '2025-12-22',
        last_incident_on: '2025-11-28',
        late: 0,
        early_years_outcome_by: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  });
  afterAll(async () => t?.close());

  /** The cells of the row whose header is `label`, in the page's order (terms, then the year). */
  const row = (html: string, label: string) => {
    const match = new RegExp(`<th scope="row"[^>]*>${label}</th>(.*?)</tr>`).exec(html);
    return match ? [...match[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]) : null;
  };

  it('the head sees every figure, per term and for the year, with the times against the limits in school days', async () => {
    const head = await t.as('staff', t.fx.staff.head);
    const page = await head.get('/monitoring/complaints');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026 to 2027');
    expect(row(page.body, 'All concerns')).toEqual(['8', '–', '8']); // autumn, spring (not started), the year
    expect(row(page.body, 'Bullying')).toEqual(['6', '–', '6']);
    expect(row(page.body, 'SEND')).toEqual(['2', '–', '2']);
    expect(row(page.body, 'Taken on within 5 school days')![0]).toBe('8 of 8 (100%)');
    expect(row(page.body, 'Answered within 15 school days')![0]).toBe('6 of 7 (86%)');
    expect(row(page.body, 'Median school days to be answered')![0]).toBe('3');
    expect(page.body).toContain('Formal complaints in 2025 to 2026: 1');
    expect(page.body).toContain('Bullying: 6 this year (0 the year before)');
    expect(page.body).not.toContain('fewer than 5');
  });

  it('a term that has not started shows “–” in every row, not 0, and the page says why; a term under way or past shows its zeros', async () => {
    const page = (await (await t.as('staff', t.fx.staff.head)).get('/monitoring/complaints')).body;
    expect(page).toContain('<div class="govuk-inset-text" id="not-started">Spring term 2027 has not started yet, so its column shows “–” rather than 0.</div>');
    expect(page).toContain('Spring term 2027 <span class="govuk-!-font-weight-regular">(not started)</span></th>');
    for (const label of ['Stage 1', 'Upheld', 'Reopened by the family at least once', 'Taken on within 5 school days']) expect(row(page, label)![1], label).toBe('–');
    expect(row(page, 'Stage 1')![0]).toBe('0'); // the autumn term is under way: none is a real 0
    // Last year: every term has started, so no note and no dashes for zeros.
    const last = (await (await t.as('staff', t.fx.staff.head)).get('/monitoring/complaints?academic=2025')).body;
    expect(last).not.toContain('id="not-started"');
    expect(row(last, 'Stage 1')).not.toContain('–');
  });

  it('each table scrolls sideways on a phone in a box a keyboard can reach, named by its caption', async () => {
    const page = (await (await t.as('staff', t.fx.staff.head)).get('/monitoring/complaints')).body;
    const boxes = [...page.matchAll(/<div class="gp-table-wrap"([^>]*)>/g)].map((m) => m[1]!);
    expect(boxes.length).toBeGreaterThan(1);
    for (const attributes of boxes) {
      expect(attributes).toContain('tabindex="0"');
      expect(attributes).toContain('role="region"');
      const labelledBy = /aria-labelledby="([^"]+)"/.exec(attributes)?.[1];
      expect(labelledBy).toBeDefined();
      expect(page).toMatch(new RegExp(`<caption [^>]*id="${labelledBy}"[^>]*>[^<]+</caption>`));
    }
  });

  it('a governor sees small figures as "fewer than 5", and one more hidden where a total would give it away', async () => {
    const governor = await t.as('staff', t.fx.staff.governor);
    const page = await governor.get('/monitoring/complaints');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="small-numbers"');
    expect(row(page.body, 'All concerns')).toEqual(['8', '–', '8']);
    expect(row(page.body, 'SEND')).toEqual(['fewer than 5', '–', 'fewer than 5']);
    expect(row(page.body, 'Bullying')).toEqual(['not shown', '–', 'not shown']);
    expect(page.body).toContain('Formal complaints in 2025 to 2026: fewer than 5');
    // Last year on its own page: the one complaint is not given away either.
    const last = await governor.get('/monitoring/complaints?academic=2025');
    expect(last.body).toContain('2025 to 2026');
    expect(row(last.body, 'All formal complaints')).toEqual(['fewer than 5']);
    // The governor's home page links to it.
    expect((await governor.get('/')).body).toContain('href="/monitoring/complaints"');
  });

  it('shows what the investigations found (upheld, partly, not upheld), with "fewer than 5" outside the case team', async () => {
    await t.db.updateTable('complaints').set({ outcome: 'partly' }).where('school_id', '=', t.fx.school.id).where('received_on', '=', '2025-12-01').execute();
    const head = await t.as('staff', t.fx.staff.head);
    const exact = await head.get('/monitoring/complaints?academic=2025');
    expect(row(exact.body, 'Partly upheld')!.at(-1)).toBe('1');
    expect(row(exact.body, 'Upheld')!.at(-1)).toBe('0');
    expect(row(exact.body, 'Not upheld')!.at(-1)).toBe('0');
    const governor = await t.as('staff', t.fx.staff.governor);
    const hidden = await governor.get('/monitoring/complaints?academic=2025');
    expect(row(hidden.body, 'Partly upheld')!.at(-1)).toBe('fewer than 5');
    expect(hidden.body).not.toMatch(/Partly upheld<\/th>[^]*?<td[^>]*>1<\/td>/);
  });

  it('counts against the school’s own time limits, from its complaints procedure', async () => {
    await t.db
      .insertInto('complaint_settings')
      .values({
        school_id: t.fx.school.id,
        school_type: 'maintained',
        stages_json: '[]',
        acknowledge_days: 2,
        respond_days: 10,
        panel_within_days: 20,
        papers_before_days: 5,
        decision_after_days: 5,
        head_complaints_to: null,
        governor_complaints_to: null,
        clerk_id: null,
        updated_by: t.fx.staff.head,
        updated_at: new Date().toISOString(),
      })
      .execute();
    const page = await (await t.as('staff', t.fx.staff.head)).get('/monitoring/complaints');
    expect(row(page.body, 'Taken on within 2 school days')).not.toBeNull();
    expect(row(page.body, 'Answered within 10 school days')).not.toBeNull();
    expect(page.body).not.toContain('Answered within 15 school days');
    await t.db.deleteFrom('complaint_settings').where('school_id', '=', t.fx.school.id).execute();
  });

  it('is for the head, senior leaders and governors only', async () => {
    for (const role of ['teacher', 'office', 'dsl'] as const) {
      expect((await (await t.as('staff', t.fx.staff[role])).get('/monitoring/complaints')).statusCode, role).toBeGreaterThanOrEqual(403);
    }
    expect((await (await t.as('carer', t.fx.carers.marta)).get('/monitoring/complaints')).statusCode).toBeGreaterThanOrEqual(403);
    const senior = await (await t.as('staff', t.fx.staff.senior_leader)).get('/monitoring/complaints?academic=nonsense');
    expect(senior.statusCode).toBe(200);
    expect(senior.body).toContain('2026 to 2027'); // a year it cannot read falls back to this one
  });
});
