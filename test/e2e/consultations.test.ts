import { describe, expect, it } from 'vitest';
import { newId } from '../../src/platform/ids.ts';
import { E2E_TIMEOUT, horizontalOverflow, signInWithPassword, useBrowser, useJourney, journeyOn, fillDate } from './support.ts';

const browser = useBrowser();

const BEHAVIOUR = 'We want every child to feel safe.\n\n## Rewards\nPraise first.\n\n## Phones\nHanded in at the office each morning.';

/** A consultation in the browser, axe on every page: the head opens it, Marta comments on a section at 320 px, the head answers and adopts. */
describe.each(journeyOn('sqlite'))('a policy consultation in the browser on %s', (dialect) => {
  const journey = useJourney(dialect, browser);

  it(
    'goes from the register to Marta’s comment on her phone and back to "You said, we did"',
    async () => {
      const { db, fx } = journey.server;
      const now = new Date().toISOString();
      const policyId = newId();
      await db
        .insertInto('policies')
        .values({
          id: policyId,
          school_id: fx.school.id,
          title: 'Behaviour policy',
          owner_id: fx.staff.head,
          statutory_yearly: 1,
          last_reviewed_on: null,
          next_review_on: now.slice(0, 10),
          body: BEHAVIOUR,
          created_at: now,
          updated_at: now,
        })
        .execute();

      const head = await journey.newTab();
      await signInWithPassword(head, 'patel@brookfield.test');
      expect(await head.mainText()).toContain('Policies for you to review');
      await head.visit('/policies');
      await head.click(head.page.getByRole('link', { name: 'Behaviour policy' }));
      await head.click(head.page.getByRole('button', { name: 'Consult on this policy' }));
      await head.page.getByLabel('Every family in the school').check();
      await fillDate(head.page, 'closes_on', '2099-01-31');
      await head.click(head.page.getByRole('button', { name: 'Ask for views' }));
      expect(await head.mainText()).toContain('Families have been asked for their views');
      const consultationPath = new URL(head.page.url()).pathname;

      const invitee = await db.selectFrom('consultation_invitees').select('token').where('carer_id', '=', fx.carers.marta).executeTakeFirstOrThrow();
      const marta = await journey.newTab({ viewport: { width: 320, height: 640 } });
      await marta.visit(`/consult/${invitee.token}`);
      // An empty comment is explained beside the field.
      await marta.click(marta.page.getByRole('button', { name: 'Send your comment' }).nth(2));
      expect(marta.status()).toBe(400);
      expect(await marta.mainText()).toContain('Enter your comment');
      await marta.page.getByLabel('Your comment on “Phones”').fill('Kuba wraca sam do domu i potrzebuje telefonu.');
      await marta.click(marta.page.getByRole('button', { name: 'Send your comment' }).nth(2));
      expect(await marta.mainText()).toContain('Thank you: your comment is with the school.');
      expect(await marta.mainText()).toContain('Kuba wraca sam do domu');
      const { scrollWidth } = await horizontalOverflow(marta.page);
      expect(scrollWidth).toBeLessThanOrEqual(320);

      await head.visit(consultationPath);
      expect(await head.mainText()).toContain('Kuba wraca sam do domu');
      await head.page.getByLabel('A new theme').fill('Phones for children who walk home');
      await head.click(head.page.getByRole('button', { name: 'Add the theme' }));
      await head.page.getByLabel('We did').fill('Phones stay in bags, switched off.');
      await head.click(head.page.getByRole('button', { name: 'Save the answer' }));
      await head.page.getByLabel('What changed, in a few sentences').fill('Phones now stay in bags.');
      await head.click(head.page.getByRole('button', { name: 'Adopt and publish “You said, we did”' }));
      expect(await head.mainText()).toContain('Phones stay in bags, switched off.');

      await marta.visit(`/consult/${invitee.token}/you-said-we-did`);
      expect(await marta.mainText()).toContain('Phones for children who walk home');
      for (const tab of [head, marta]) await tab.done();
    },
    E2E_TIMEOUT * 2,
  );
});
