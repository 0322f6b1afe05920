import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { perPerson, mine, SIGNED_IN, type FeatureRows, type Who } from './types.ts';

/**
 * Term dates (features/term-dates): everyone signed in reads them; the head, senior leaders and the
 * office keep them. Each keeper adds a term of a year of their own and a closure on a day of their own
 * (terms and closures may not overlap), removes a term and a closure made for them, and changes
 * another term and closure made for them (moved by a week in the same year, so nothing overlaps).
 */
const KEEPERS: Who[] = ['head', 'senior_leader', 'office'];
const year = (who: Who) => String(2040 + ['head', 'senior_leader', 'office', 'other_head'].indexOf(who));
const keeper = (who: Who) => Math.max(0, KEEPERS.indexOf(who));
const parts = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

export const termDateRows: FeatureRows = {
  rows: {
    'GET /term-dates': { allowed: SIGNED_IN, url: () => '/term-dates' },
    'GET /term-dates/calendar.ics': { allowed: SIGNED_IN, url: () => '/term-dates/calendar.ics' },
    'GET /settings/term-dates': { allowed: KEEPERS, url: () => '/settings/term-dates' },
    'POST /settings/term-dates/terms': {
      allowed: KEEPERS,
      url: () => '/settings/term-dates/terms',
      form: (_f, _ids, who) => ({ name: `Spring term ${year(who)}`, ...parts('starts_on', `${year(who)}-01-05`), ...parts('ends_on', `${year(who)}-03-26`) }),
    },
    'POST /settings/term-dates/closures': {
      allowed: KEEPERS,
      url: () => '/settings/term-dates/closures',
      // A day of the autumn term 2035 each (set up below for both schools).
      form: (_f, _ids, who) => ({ reason: `INSET day (${who})`, ...parts('closed_from', `2035-10-${String(10 + ['head', 'senior_leader', 'office', 'other_head'].indexOf(who)).padStart(2, '0')}`) }),
    },
    'POST /settings/term-dates/terms/:schoolTermId/remove': { allowed: KEEPERS, url: (_f, ids, who) => `/settings/term-dates/terms/${mine(ids, 'schoolTerm', who)}/remove`, form: () => ({}) },
    'POST /settings/term-dates/closures/:schoolClosureId/remove': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/settings/term-dates/closures/${mine(ids, 'schoolClosure', who)}/remove`,
      form: () => ({}),
    },
    'GET /settings/term-dates/terms/:schoolTermId/change': { allowed: KEEPERS, url: (_f, ids, who) => `/settings/term-dates/terms/${mine(ids, 'changeTerm', who)}/change` },
    'POST /settings/term-dates/terms/:schoolTermId/change': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/settings/term-dates/terms/${mine(ids, 'changeTerm', who)}/change`,
      form: (_f, _ids, who) => ({ name: `Summer term ${2060 + keeper(who)} (moved)`, ...parts('starts_on', `${2060 + keeper(who)}-04-19`), ...parts('ends_on', `${2060 + keeper(who)}-07-21`) }),
    },
    'GET /settings/term-dates/closures/:schoolClosureId/change': { allowed: KEEPERS, url: (_f, ids, who) => `/settings/term-dates/closures/${mine(ids, 'changeClosure', who)}/change` },
    'POST /settings/term-dates/closures/:schoolClosureId/change': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/settings/term-dates/closures/${mine(ids, 'changeClosure', who)}/change`,
      form: (_f, _ids, who) => ({ reason: 'Polling day (moved)', ...parts('closed_from', `2035-12-${11 + keeper(who)}`) }),
    },
  },
  setup: async (t: TestApp) => {
    for (const schoolId of [t.fx.school.id, t.fx.other.id]) {
      await t.db.insertInto('school_terms').values({ id: newId(), school_id: schoolId, name: 'Autumn term 2035', starts_on: '2035-09-03', ends_on: '2035-12-19' }).execute();
    }
    let n = 0;
    const terms = await perPerson('schoolTerm', KEEPERS, async () => {
      const id = newId();
      n += 1;
      await t.db
        .insertInto('school_terms')
        .values({ id, school_id: t.fx.school.id, name: `Summer term ${2050 + n}`, starts_on: `${2050 + n}-04-12`, ends_on: `${2050 + n}-07-21` })
        .execute();
      return id;
    });
    const closures = await perPerson('schoolClosure', KEEPERS, async () => {
      const id = newId();
      n += 1;
      await t.db
        .insertInto('school_closures')
        .values({ id, school_id: t.fx.school.id, reason: 'Polling day', starts_on: `2035-11-${String(n).padStart(2, '0')}`, ends_on: `2035-11-${String(n).padStart(2, '0')}` })
        .execute();
      return id;
    });
    const changeTerms = await perPerson('changeTerm', KEEPERS, async (who) => {
      const id = newId();
      const y = 2060 + keeper(who);
      await t.db
        .insertInto('school_terms')
        .values({ id, school_id: t.fx.school.id, name: `Summer term ${y}`, starts_on: `${y}-04-12`, ends_on: `${y}-07-21` })
        .execute();
      return id;
    });
    const changeClosures = await perPerson('changeClosure', KEEPERS, async (who) => {
      const id = newId();
      const day = `2035-12-0${1 + keeper(who)}`;
      await t.db.insertInto('school_closures').values({ id, school_id: t.fx.school.id, reason: 'Polling day', starts_on: day, ends_on: day }).execute();
      return id;
    });
    return { ...terms, ...closures, ...changeTerms, ...changeClosures };
  },
};
