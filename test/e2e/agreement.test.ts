import { describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { publish, saveDraft, startDraft } from '../../src/features/agreements/commands.ts';
import type { E2EServer } from './support.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInByEmailLink, useBrowser, useJourney, journeyOn } from './support.ts';

const browser = useBrowser();

/** The school's agreement, published, with a checked Polish translation (written by the office, checked by the family liaison officer). */
async function publishAgreement(server: E2EServer): Promise<void> {
  const { db, fx } = server;
  const head = { kind: 'staff' as const, id: fx.staff.head, schoolId: fx.school.id };
  const now = new Date();
  const id = await startDraft(db, head, now);
  const draft = await db.selectFrom('agreement_versions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  await saveDraft(
    db,
    head,
    draft,
    { title: 'Our home-school agreement', carers_text: 'Read with your child at home', pupils_text: 'Be kind', promises: [{ text: 'We will share good news', measure: 'praise_families' }] },
    now,
  );
  await publish(db, head, draft, { asks_resigning: 'yes', change_note: '' }, now);
  await db
    .insertInto('agreement_translations')
    .values({
      id: newId(),
      school_id: fx.school.id,
      version_id: id,
      language: 'Polish',
      subject: 'Nasza umowa między domem a szkołą',
      body: 'Co zrobi szkoła:\n- Będziemy dzielić się dobrymi wiadomościami',
      source: 'person',
      status: 'checked',
      written_by: fx.staff.office,
      checked_by: fx.staff.family_liaison,
      updated_at: now.toISOString(),
    })
    .execute();
}

/** Journey 10, on a phone: Marta reads the agreement in Polish and signs it for Kuba and Ola (axe on every page). SQLite only, to stay short. */
describe.each(journeyOn('sqlite'))('a carer signs the home-school agreement on a phone, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'Marta reads it in Polish, forgets the tick (told beside the box, her choices kept), then signs for both children',
    async () => {
      await publishAgreement(journey.server);
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInByEmailLink(marta, journey.server, 'marta@families.test', { ownLanguage: true });
      await marta.visit('/agreement');
      expect(await marta.mainText()).toContain('Będziemy dzielić się dobrymi wiadomościami');
      await marta.page.getByLabel('Aleksandra Nowak').uncheck();
      await marta.click(marta.page.getByRole('button', { name: 'Podpisz umowę' }));
      expect(marta.status()).toBe(400);
      expect(await marta.mainText()).toContain('Prosimy zaznaczyć pole, aby potwierdzić zgodę');
      expect(await marta.page.getByLabel('Aleksandra Nowak').isChecked()).toBe(false);
      await marta.page.getByLabel('Aleksandra Nowak').check();
      await marta.page.getByLabel('Przeczytałem/przeczytałam umowę i zgadzam się z nią').check();
      await marta.click(marta.page.getByRole('button', { name: 'Podpisz umowę' }));
      expect(await marta.mainText()).toContain('Dziękujemy. Państwa podpis został zapisany.');
      expect(await marta.mainText()).toContain('Podpisano umowę dla wszystkich Państwa dzieci.');
      const { scrollWidth, culprits } = await horizontalOverflow(marta.page);
      expect(scrollWidth, culprits.join('\n')).toBeLessThanOrEqual(320);
      const signed = await journey.server.db.selectFrom('agreement_signatures').select(['how', 'language']).where('carer_id', '=', journey.server.fx.carers.marta).execute();
      expect(signed).toEqual([
        { how: 'portal', language: 'Polish' },
        { how: 'portal', language: 'Polish' },
      ]);
    },
    E2E_TIMEOUT,
  );
});
