import { newId } from '../../src/platform/ids.ts';
import type { TestApp } from '../support/app.ts';
import { mine, perPerson, type FeatureRows, type Who } from './types.ts';

/**
 * Subject access and education record requests (features/subject-access): the head, senior leaders
 * and the office only; teachers, governors, the DSL and carers are refused. Each keeper extends, marks
 * sent, refuses and corrects an open request of their own (each can happen once).
 */
const KEEPERS: Who[] = ['head', 'senior_leader', 'office'];
const parts = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

export const subjectAccessRows: FeatureRows = {
  rows: {
    'GET /subject-access': { allowed: KEEPERS, url: () => '/subject-access' },
    'GET /subject-access/new': { allowed: KEEPERS, url: () => '/subject-access/new' },
    // Someone outside asking for their own data: a form any school's keeper may send (no Brookfield record in it).
    'POST /subject-access/new': {
      allowed: KEEPERS,
      url: () => '/subject-access/new',
      form: (_f, _ids, who) => ({
        form_id: newId(),
        kind: 'subject_access',
        requester: 'outside',
        requester_name: `A former pupil (${who})`,
        requester_contact: '1 High Street',
        about: 'requester',
        ...parts('received_on', '2026-11-02'),
        identity_checked: 'yes',
      }),
    },
    'GET /subject-access/:accessRequestId': { allowed: KEEPERS, url: (_f, ids) => `/subject-access/${mine(ids, 'accessRequest', 'head')}` },
    'GET /subject-access/:accessRequestId/correct': { allowed: KEEPERS, url: (_f, ids) => `/subject-access/${mine(ids, 'accessRequest', 'head')}/correct` },
    // Someone outside, about their own data, received on another date: a correction each keeper makes once.
    'POST /subject-access/:accessRequestId/correct': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/subject-access/${mine(ids, 'correctRequest', who)}/correct`,
      form: (_f, _ids, who) => ({
        kind: 'subject_access',
        requester: 'outside',
        requester_name: `A former pupil (${who})`,
        requester_contact: '1 High Street',
        about: 'requester',
        ...parts('received_on', '2026-02-03'),
      }),
    },
    'POST /subject-access/:accessRequestId/identity': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/subject-access/${mine(ids, 'identityRequest', who)}/identity`,
      form: () => ({}),
    },
    'POST /subject-access/:accessRequestId/extend': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/subject-access/${mine(ids, 'extendRequest', who)}/extend`,
      form: () => ({ complex_reason: 'Many records naming other families' }),
    },
    'POST /subject-access/:accessRequestId/sent': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/subject-access/${mine(ids, 'sendRequest', who)}/sent`,
      form: () => parts('sent_on', '2026-02-10'),
    },
    'POST /subject-access/:accessRequestId/refuse': {
      allowed: KEEPERS,
      url: (_f, ids, who) => `/subject-access/${mine(ids, 'refuseRequest', who)}/refuse`,
      form: () => ({ refused_reason: 'The same request as last month, answered in full' }),
    },
  },
  setup: async (t: TestApp) => {
    const request = async (identity: 0 | 1 = 1) => {
      const id = newId();
      await t.db
        .insertInto('access_requests')
        .values({
          id,
          school_id: t.fx.school.id,
          kind: 'subject_access',
          requester_carer_id: t.fx.carers.mark,
          requester_name: null,
          requester_contact: null,
          about: 'pupil',
          pupil_id: t.fx.pupils.lily,
          about_other: null,
          received_on: '2026-02-02',
          identity_checked: identity,
          due_on: '2026-03-02',
          extended_reason: null,
          status: 'open',
          sent_on: null,
          refused_reason: null,
          closed_by: null,
          closed_at: null,
          created_by: t.fx.staff.office,
          created_at: new Date().toISOString(),
        })
        .execute();
      return id;
    };
    return {
      ...(await perPerson('accessRequest', ['head'], () => request())),
      ...(await perPerson('identityRequest', KEEPERS, () => request(0))),
      ...(await perPerson('extendRequest', KEEPERS, () => request())),
      ...(await perPerson('sendRequest', KEEPERS, () => request())),
      ...(await perPerson('refuseRequest', KEEPERS, () => request())),
      ...(await perPerson('correctRequest', KEEPERS, () => request())),
    };
  },
};
