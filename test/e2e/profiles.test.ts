import { describe, expect, it } from 'vitest';
import { decide, propose, startProfile } from '../../src/features/profiles/commands.ts';
import type { E2EServer } from './support.ts';
import { E2E_TIMEOUT, horizontalOverflow, journeyOn, signInByEmailLink, signInWithPassword, useBrowser, useJourney } from './support.ts';

const browser = useBrowser();

/** Kuba's profile as Mr Hughes first wrote it (with a staff-only note). */
async function startKubasProfile(server: E2EServer): Promise<void> {
  const { db, fx } = server;
  const hughes = { kind: 'staff' as const, id: fx.staff.senco, schoolId: fx.school.id };
  const now = new Date();
  await startProfile(db, hughes, fx.pupils.kuba, now);
  const profile = await db.selectFrom('profiles').selectAll().where('pupil_id', '=', fx.pupils.kuba).executeTakeFirstOrThrow();
  const made = await propose(
    db,
    hughes,
    profile,
    {
      admire: 'Kind to younger children',
      important: 'His sister Ola',
      support: 'Give him a moment to think before he answers',
      pupil_voice: 'I like reading about dinosaurs.',
      admire_staff: '',
      important_staff: '',
      support_staff: 'Speech and language referral made in October',
      note: '',
    },
    { now, baseUrl: server.url },
  );
  if (!made.ok) throw new Error('could not propose');
  const proposal = await db.selectFrom('profile_proposals').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
  await decide(db, hughes, proposal, { decision: 'accept', decision_note: '' }, now);
}

/** Journey 10: Mr Hughes and Marta update Kuba's profile together (axe on every page, Marta on a 320 px phone). SQLite only, to stay short. */
describe.each(journeyOn('sqlite'))('Mr Hughes and Marta update Kuba’s profile together, on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'Marta adds her words in Polish on her phone; Mr Hughes accepts; Ms Lewis translates; Mr Hughes checks; what changed is shown side by side',
    async () => {
      const { fx } = journey.server;
      await startKubasProfile(journey.server);

      // Marta, in Polish, on a phone: the profile without the staff-only note, then her proposal.
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await signInByEmailLink(marta, journey.server, 'marta@families.test', { ownLanguage: true });
      await marta.visit(`/children/${fx.pupils.kuba}/profile`);
      expect(await marta.mainText()).toContain('Jak najlepiej mnie wspierać');
      expect(await marta.mainText()).not.toContain('Speech and language referral');
      await marta.click(marta.page.getByRole('link', { name: 'Zaproponuj zmianę' }));
      await marta.click(marta.page.getByRole('button', { name: 'Wyślij moją propozycję' }));
      expect(marta.status()).toBe(400);
      expect(await marta.mainText()).toContain('Prosimy zmienić przynajmniej jedną część przed wysłaniem');
      await marta.page.getByLabel('Państwa własne słowa').fill('Kuba jest bardzo wrażliwy. W domu mówimy po polsku.');
      await marta.page.getByLabel('Jak najlepiej mnie wspierać').fill('Give him a moment to think before he answers\nTell him the plan for the day in the morning');
      await marta.click(marta.page.getByRole('button', { name: 'Wyślij moją propozycję' }));
      expect(await marta.mainText()).toContain('Dziękujemy. Szkoła przejrzy Państwa propozycję.');
      const { scrollWidth, culprits } = await horizontalOverflow(marta.page);
      expect(scrollWidth, culprits.join('\n')).toBeLessThanOrEqual(320);

      // Mr Hughes, at his desk: the change side by side, accepted.
      const hughes = await journey.newTab();
      await signInWithPassword(hughes, 'hughes@brookfield.test');
      await hughes.visit(`/pupils/${fx.pupils.kuba}/profile`);
      await hughes.click(hughes.page.getByRole('link', { name: /Proposed by Marta Nowak/ }));
      expect(await hughes.page.locator('ins').allTextContents()).toContain('Tell him the plan for the day in the morning');
      await hughes.page.getByLabel('Accept: make it the new version').check();
      await hughes.click(hughes.page.getByRole('button', { name: 'Save decision' }));
      expect(await hughes.mainText()).toContain('Change accepted: the profile has a new version.');
      expect(await hughes.mainText()).toContain('Kuba jest bardzo wrażliwy.');

      // Ms Lewis writes the English; Mr Hughes checks it; the profile shows it beside Marta's words.
      const lewis = await journey.newTab();
      await signInWithPassword(lewis, 'lewis@brookfield.test');
      await lewis.visit(`/pupils/${fx.pupils.kuba}/profile/words/${fx.carers.marta}`);
      await lewis.page.getByLabel('The words in English').fill('Kuba is very sensitive. At home we speak Polish.');
      await lewis.click(lewis.page.getByRole('button', { name: 'Save translation' }));
      expect(await lewis.mainText()).toContain('Someone else needs to check it');
      await hughes.visit(`/pupils/${fx.pupils.kuba}/profile/words/${fx.carers.marta}`);
      await hughes.click(hughes.page.getByRole('button', { name: 'Mark as checked' }));
      await hughes.visit(`/pupils/${fx.pupils.kuba}/profile`);
      expect(await hughes.mainText()).toContain('Kuba is very sensitive. At home we speak Polish.');
      await hughes.click(hughes.page.getByRole('link', { name: 'What changed since the last review' }));
      expect(await hughes.page.locator('ins').allTextContents()).toContain('Tell him the plan for the day in the morning');

      // Marta sees her words (never the staff-only note).
      await marta.visit(`/children/${fx.pupils.kuba}/profile`);
      expect(await marta.mainText()).toContain('Kuba jest bardzo wrażliwy.');
      expect(await marta.mainText()).not.toContain('Speech and language referral');
    },
    E2E_TIMEOUT,
  );
});
