import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/support/db.ts';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { newId } from '../../platform/ids.ts';

// Monday 23 November 2026. Five school days on: Monday 30 November.
const NOW = new Date('2026-11-23T10:00:00.000Z');

/** The formal complaints' dates on the home page of the staff who work on them. */
describe.each(dialects)('home page: complaint dates on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: () => NOW });
    const fx = t.fx;
    const concern = async (pupilId: string) => {
      const id = newId();
      await t.db
        .insertInto('concerns')
        .values({
          id,
          school_id: fx.school.id,
          pupil_id: pupilId,
          carer_id: fx.carers.marta,
          received_via: 'phone',
          contact_by: 'phone',
          logged_by: fx.staff.office,
          status: 'closed',
          owner_id: fx.staff.head,
          category: 'learning',
          raised_on: '2026-10-19',
          due_on: '2026-10-19',
          triaged_by: null,
          triaged_at: null,
          closed_at: '2026-10-30T09:00:00.000Z',
          closed_by: fx.staff.head,
          answered_at: null,
          reopened_count: 0,
          created_at: '2026-10-19T09:00:00.000Z',
          updated_at: '2026-10-30T09:00:00.000Z',
        })
        .execute();
      return id;
    };
    const complaint = async (o: { respondBy: string; about?: 'matter' | 'head'; officer?: string; pupilId?: string }) => ({
      id: newId(),
      school_id: fx.school.id,
      concern_id: await concern(o.pupilId ?? fx.pupils.kuba),
      pupil_id: o.pupilId ?? fx.pupils.kuba,
      carer_id: fx.carers.marta,
      stage: 'stage_1' as const,
      made_by_kind: 'carer' as const,
      made_by_staff: null,
      received_on: '2026-11-02',
      counts_from: '2026-11-02',
      acknowledge_by: '2026-11-09',
      respond_by: o.respondBy,
      last_incident_on: '2026-10-30',
      late: 0 as const,
      early_years_outcome_by: null,
      about: o.about ?? ('matter' as const),
      officer_id: o.officer ?? null,
      created_at: '2026-11-02T09:00:00.000Z',
      updated_at: '2026-11-02T09:00:00.000Z',
    });
    await t.db
      .insertInto('complaints')
      .values(
        await Promise.all([
          complaint({ respondBy: '2026-11-20', officer: fx.staff.teacher2 }), // three days overdue
          complaint({ respondBy: '2026-11-30', pupilId: fx.pupils.ola }), // the fifth school day from today
          complaint({ respondBy: '2026-12-01', pupilId: fx.pupils.lily }), // the sixth: not yet
          complaint({ respondBy: '2026-11-24', about: 'head' }), // about the head: not hers to see
        ]),
      )
      .execute();
  });
  afterAll(async () => t?.close());

  const section = (html: string) => /<h2[^>]*id="complaint-dates"[^>]*>[\s\S]*?<\/section>/.exec(html)?.[0] ?? null;

  it('the head sees the complaints she leads that are overdue or due within five school days, the most urgent first', async () => {
    const home = (await (await t.as('staff', t.fx.staff.head)).get('/')).body;
    const dates = section(home);
    expect(dates).not.toBeNull();
    const items = [...dates!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
      m[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toMatch(/^Overdue Complaint about Jakub Nowak, stage 1 – Answer by 20 November 2026 \(3 days ago\)$/);
    expect(items[1]).toMatch(/^Due soon Complaint about Aleksandra Nowak, stage 1 – Answer by 30 November 2026$/);
  });

  it('the investigating officer sees the one they investigate; a teacher on none sees no such section', async () => {
    const officer = section((await (await t.as('staff', t.fx.staff.teacher2)).get('/')).body);
    expect(officer).toContain('Complaint about <bdi>Jakub Nowak</bdi>');
    expect(officer).not.toContain('Aleksandra Nowak');
    expect(section((await (await t.as('staff', t.fx.staff.teacher)).get('/')).body)).toBeNull();
  });
});
