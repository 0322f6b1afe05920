import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Who } from './types.ts';

/**
 * Events for families: every route, who may use it (by hand, apart from the code). Leaders, the
 * office and the family liaison officer plan and send events and see who comes; teachers read them
 * and take the register; carers answer for themselves.
 */
const READERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'];
const MANAGERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
const REGISTER: Who[] = ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'];

export const eventRows: FeatureRows = {
  rows: {
    'GET /events': { allowed: READERS, url: () => '/events' },
    'GET /events/new': { allowed: MANAGERS, url: () => '/events/new' },
    'POST /events': {
      allowed: MANAGERS,
      url: () => '/events',
      form: (_f, _ids, who) => ({
        kind: 'workshop',
        title: `Phonics workshop (${who})`,
        place: 'Year 1 classroom',
        audience_kind: 'school',
        session_1_date: '2027-02-04',
        session_1_start: '9am',
        session_1_end: '10am',
      }),
    },
    'GET /events/attendance': { allowed: MANAGERS, url: () => '/events/attendance' },
    'GET /events/:schoolEventId': { allowed: READERS, url: (_f, ids) => `/events/${ids.event}` },
    // Each sends a draft of their own (a sent event is not sent again).
    'POST /events/:schoolEventId/publish': { allowed: MANAGERS, url: (_f, ids, who) => `/events/${mine(ids, 'draftEvent', who)}/publish`, form: () => ({}) },
    'GET /events/:schoolEventId/edit': { allowed: MANAGERS, url: (_f, ids) => `/events/${ids.event}/edit` },
    'POST /events/:schoolEventId/edit': {
      allowed: MANAGERS,
      url: (_f, ids, who) => `/events/${mine(ids, 'draftEvent', who)}/edit`,
      form: () => ({ kind: 'coffee_morning', title: 'Coffee morning', place: 'The library', audience_kind: 'school', session_1_date: '2027-02-04', session_1_start: '9am', session_1_end: '10am' }),
    },
    'GET /events/:schoolEventId/cancel': { allowed: MANAGERS, url: (_f, ids) => `/events/${ids.event}/cancel` },
    // Each cancels an event of their own.
    'POST /events/:schoolEventId/cancel': { allowed: MANAGERS, url: (_f, ids, who) => `/events/${mine(ids, 'cancelEvent', who)}/cancel`, form: () => ({ reason: 'Rain' }) },
    'POST /events/:schoolEventId/reminders': { allowed: MANAGERS, url: (_f, ids) => `/events/${ids.event}/reminders`, form: () => ({}) },
    'GET /events/:schoolEventId/sessions/:eventSessionId/register': { allowed: REGISTER, url: (_f, ids) => `/events/${ids.event}/sessions/${ids.session}/register` },
    'POST /events/:schoolEventId/sessions/:eventSessionId/register': {
      allowed: REGISTER,
      url: (_f, ids) => `/events/${ids.event}/sessions/${ids.session}/register`,
      form: (f) => ({ came: f.carers.marta }),
    },
    // Each adds a family of their own as a walk-in (one a teacher of Year 3 may see: Tomasz, Kuba's father).
    'POST /events/:schoolEventId/sessions/:eventSessionId/register/walk-ins/:carerId': {
      allowed: REGISTER,
      url: (_f, ids, who) => `/events/${ids.event}/sessions/${ids.session}/register/walk-ins/${mine(ids, 'walkIn', who)}`,
      form: () => ({ q: 'nowak' }),
    },
    'GET /my-events': { allowed: ['carer'], url: () => '/my-events' },
    'GET /my-events/:schoolEventId': { allowed: ['carer'], url: (_f, ids) => `/my-events/${ids.event}` },
    'POST /my-events/:schoolEventId/answer': { allowed: ['carer'], url: (_f, ids) => `/my-events/${ids.event}/answer`, form: (_f, ids) => ({ choice: ids.session!, attending: '2' }) },
    'GET /my-events/:schoolEventId/calendar.ics': { allowed: ['carer'], url: (_f, ids) => `/my-events/${ids.event}/calendar.ics` },
  },
  async setup(t: TestApp) {
    const fx = t.fx;
    const at = new Date().toISOString();
    const inAMonth = new Date(Date.now() + 30 * 86_400_000);
    const addEvent = async (status: 'draft' | 'published') => {
      const id = newId();
      await t.db
        .insertInto('events')
        .values({
          id,
          school_id: fx.school.id,
          kind: 'coffee_morning',
          title: 'Coffee morning',
          description: '',
          place: 'The hall',
          audience_json: JSON.stringify({ kind: 'school' }),
          status,
          created_by: fx.staff.office,
          created_at: at,
          published_at: status === 'published' ? at : null,
          reminded_at: null,
        })
        .execute();
      const session = newId();
      await t.db
        .insertInto('event_sessions')
        .values({ id: session, school_id: fx.school.id, event_id: id, starts_at: inAMonth.toISOString(), ends_at: new Date(inAMonth.getTime() + 3_600_000).toISOString() })
        .execute();
      return { id, session };
    };
    const published = await addEvent('published');
    await t.db
      .insertInto('event_invitees')
      .values({ id: newId(), school_id: fx.school.id, event_id: published.id, carer_id: fx.carers.marta, pupil_ids_json: JSON.stringify([fx.pupils.kuba]), created_at: at })
      .execute();
    const drafts = await perPerson('draftEvent', MANAGERS, async () => (await addEvent('draft')).id);
    const cancels = await perPerson('cancelEvent', MANAGERS, async () => (await addEvent('draft')).id);
    const walkIns: Partial<Record<Who, string>> = {
      head: fx.carers.grace,
      senior_leader: fx.carers.sarah,
      office: fx.carers.faduma,
      family_liaison: fx.carers.socialWorker,
      teacher: fx.carers.tomasz,
    };
    const walkInIds = await perPerson('walkIn', REGISTER, async (who) => walkIns[who]!);
    return { event: published.id, session: published.session, ...drafts, ...cancels, ...walkInIds };
  },
};
