import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, type TestDb } from '../../../test/support/db.ts';
import { makeFixture, type Fixture } from '../../../test/support/fixture.ts';
import type { Translator } from '../../platform/channels/translate.ts';
import { closingSummary } from './concerns.ts';
import { prepareLetter } from './notify.ts';

const NOW = new Date('2026-11-26T10:00:00.000Z');

/** A translation service that says what it was asked: "[pl] …". */
const translator: Translator & { asked: string[] } = {
  asked: [],
  async translate(text, target) {
    this.asked.push(text);
    return `[${target}] ${text}`;
  },
};

/**
 * One way for every letter to a carer about a concern or complaint (issue 13): the fixed words from the
 * carer's catalog, and what a person at the school wrote machine translated (marked so) when a service
 * can, else as written with the help line from the catalog.
 */
describe.each(dialects)('a letter to a carer in their language, with the school’s own words, on %s', (dialect) => {
  let tdb: TestDb;
  let fx: Fixture;
  beforeAll(async () => {
    tdb = await openTestDb(dialect);
    fx = await makeFixture(tdb.db);
  });
  afterAll(async () => tdb?.close());

  const letterTo = (carerId: string, pupilId: string, withTranslator: boolean) =>
    prepareLetter(
      tdb.db,
      { now: NOW, today: '2026-11-26', baseUrl: 'http://gatepost.test', translator: withTranslator ? translator : null },
      { schoolId: fx.school.id, schoolName: 'Brookfield', concernId: 'c1', carerId, pupilId, key: 'test' },
      closingSummary({ childName: 'Jakub', ownerName: 'Mr Okafor', outcome: 'Kuba now has a reading buddy at lunch.', schoolName: 'Brookfield' }),
    );
  const text = (p: Awaited<ReturnType<typeof letterTo>>) => (p.items[0]!.payload as { text: string }).text;

  it('machine translates the school’s words inside a Polish letter, marked as such, with the English beneath', async () => {
    translator.asked = [];
    const sent = text(await letterTo(fx.carers.marta, fx.pupils.kuba, true));
    expect(translator.asked).toEqual(['Kuba now has a reading buddy at lunch.']); // only the school's words: the rest is the catalog's
    const polish = sent.slice(0, sent.indexOf('----------'));
    expect(polish).toContain('[pl] Kuba now has a reading buddy at lunch.\n(Przetłumaczone maszynowo: szkoła nie sprawdziła tego tłumaczenia.');
    expect(polish).not.toContain('Część tego listu jest po angielsku'); // nothing left in English above
    expect(sent.slice(sent.indexOf('----------'))).toContain('Kuba now has a reading buddy at lunch.');
  });

  it('without a translation service, keeps the school’s words as written with the help line from the Polish catalog', async () => {
    const sent = text(await letterTo(fx.carers.marta, fx.pupils.kuba, false));
    expect(sent.startsWith('Część tego listu jest po angielsku, słowami szkoły.')).toBe(true);
    expect(sent).toContain('Kuba now has a reading buddy at lunch.');
    expect(sent).not.toContain('[pl]');
  });

  it('writes to an English reader in English alone, asking no translation', async () => {
    translator.asked = [];
    const sent = text(await letterTo(fx.carers.tomasz, fx.pupils.kuba, true));
    expect(translator.asked).toEqual([]);
    expect(sent).not.toContain('----------');
    expect(sent).toContain('Kuba now has a reading buddy at lunch.');
  });
});
