import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Insertable, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { carerRow, makeFixture } from '../../../test/support/fixture.ts';
import { insertInChunks } from '../../db/insert-in-chunks.ts';
import { queryPlan } from '../../db/query-plan.ts';
import type { MessageRecipientTable } from '../../db/schema.ts';
import { newId } from '../../platform/ids.ts';
import { evidenceCounts } from './evidence-queries.ts';

const TODAY = '2026-12-03';
const YEAR = { from: '2026-09-01', to: '2027-08-31' };
const CARERS = 60;
const MESSAGES = 40;

/**
 * The messages figures of "How well we work with families" for a school's year: which carers were sent
 * one they could read online and which read one, counted per carer from the indexes of online and read
 * rows (migration 0043), and the rows in another language from theirs. A year is 350,000 rows for a
 * 3,500-carer school (bench/evidence.ts): counting them all took 600 ms a page on SQLite.
 */
describe.each(dialects)('the evidence page’s message figures, on %s', (dialect) => {
  let t: TestDb;
  let school: string;
  const expected = { carersSent: new Set<string>(), carersRead: new Set<string>(), otherLanguage: 0, otherLanguageInIt: 0 };
  beforeAll(async () => {
    t = await openTestDb(dialect);
    const fx = await makeFixture(t.db);
    school = fx.school.id;
    const at = '2026-09-01T08:00:00.000Z';
    const carers = Array.from({ length: CARERS }, (_, i) => carerRow(at, { school_id: school, given_name: 'Sam', family_name: `Carer${i}`, email: `c${i}@families.test` }));
    await insertInChunks(t.db, 'carers', carers);
    const rows: Insertable<MessageRecipientTable>[] = [];
    for (let m = 0; m < MESSAGES; m++) {
      const id = newId();
      // Sent through the autumn term; the last three before the year began (last year's: not counted).
      const sentAt = m < 3 ? `2026-07-1${m}T15:30:00.000Z` : `2026-${m < 20 ? '09' : '11'}-${String(1 + (m % 20)).padStart(2, '0')}T15:30:00.000Z`;
      const urgent = m % 10 === 9;
      await t.db
        .insertInto('messages')
        .values({
          id,
          school_id: school,
          kind: urgent ? 'urgent' : 'newsletter',
          tone: 'information',
          subject: 'News',
          body: 'Hello',
          audience_json: '{}',
          asks_acknowledgement: 0,
          status: 'sent',
          scheduled_for: null,
          sent_at: sentAt,
          created_by: fx.staff.head,
          created_at: sentAt,
          updated_at: sentAt,
        })
        .execute();
      // A checked Polish translation of every other message; Urdu written but never checked.
      for (const [language, status] of [
        ['pl', m % 2 === 0 ? 'checked' : 'written'],
        ['ur', 'written'],
      ] as const)
        await t.db
          .insertInto('message_translations')
          .values({ id: newId(), school_id: school, message_id: id, language, subject: 'N', body: 'H', source: 'person', status, written_by: null, checked_by: null, updated_at: sentAt })
          .execute();
      for (const [i, c] of carers.entries()) {
        // Carers 0-4 get paper copies only (one read in Gatepost all the same: still not counted); 5-9 never open
        // one; 10-14 only acknowledge; urgent notices go to 15-19 by text only (read: still not counted).
        const channels = i < 5 ? 'app,paper' : urgent && i >= 15 && i < 20 ? 'app,sms' : 'app,email';
        const read = i < 5 ? i === 0 && m === 5 : i >= 5 && i < 10 ? false : i >= 15 && i < 20 ? urgent || m % 7 === i % 7 : (m + i) % 3 === 0;
        const language = i % 4 === 0 ? 'pl' : i % 4 === 1 ? 'ur' : 'en';
        rows.push({
          id: newId(),
          school_id: school,
          message_id: id,
          carer_id: c.id,
          pupil_ids: '',
          pupil_names: '',
          language,
          channels,
          read_token: newId(),
          read_at: read && !(i >= 10 && i < 15) ? sentAt : null,
          acknowledged_at: read && i >= 10 && i < 15 ? sentAt : null,
          created_at: sentAt,
        });
        if (m < 3) continue;
        const online = channels !== 'app,paper' && !(urgent && channels === 'app,sms');
        if (online) expected.carersSent.add(c.id);
        if (online && read) expected.carersRead.add(c.id);
        if (language !== 'en') expected.otherLanguage += 1;
        if (language === 'pl' && m % 2 === 0) expected.otherLanguageInIt += 1;
      }
    }
    // A school that began this year: no statistics yet (as outbox.test.ts), so the plans below are those of the
    // indexes' own shape, not of how few rows a test school has.
    await insertInChunks(t.db, 'message_recipients', rows);
  });
  afterAll(async () => t?.close());

  it('counts the carers sent a message they could read online, those who read one, and the messages in another language with a checked translation', async () => {
    const { messages } = await evidenceCounts(t.db, school, YEAR, TODAY);
    expect(messages).toEqual({
      sent: MESSAGES - 3,
      carersSent: expected.carersSent.size,
      carersRead: expected.carersRead.size,
      otherLanguage: expected.otherLanguage,
      otherLanguageInIt: expected.otherLanguageInIt,
    });
    // Paper-only carers (5) are not counted at all; those who never opened one (5) are sent but not readers.
    expect(messages.carersSent).toBe(CARERS - 5);
    expect(messages.carersRead).toBe(CARERS - 10);
  });

  it('finds them from the indexes of rows sent online, rows read and rows in another language, never reading every row', async () => {
    const seen: RootOperationNode[] = [];
    const recorder: KyselyPlugin = {
      transformQuery: ({ node }) => (seen.push(node), node),
      transformResult: async ({ result }) => result,
    };
    await evidenceCounts(t.db.withPlugin(recorder), school, YEAR, TODAY);
    const compiled = seen.map((node) => t.db.getExecutor().compileQuery(node, { queryId: newId() })).filter((q) => q.sql.includes('"message_recipients"'));
    expect(compiled).toHaveLength(4);
    const plans: string[] = [];
    for (const q of compiled) plans.push((await queryPlan(t.db, q)).join('\n'));
    const [sentPlan, readPlan, languagePlan, translatedPlan] = plans;
    expect(sentPlan).toContain('message_recipients_online');
    expect(readPlan).toContain('message_recipients_read');
    expect(languagePlan).toContain('message_recipients_other_language');
    expect(translatedPlan).toContain('message_recipients_other_language');
  });
});
