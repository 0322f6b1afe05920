import type { FeatureRows, Who } from './types.ts';

/**
 * Records retention (features/retention): the head, senior leaders and the office only; teachers,
 * the DSL, the SENCO, governors and carers are refused. Each keeper erases complaint files closed
 * before 1 January 2000 (none: the erasure still writes its audit entry, so "allowed" is seen, and
 * no record other rows rely on is touched).
 */
const KEEPERS: Who[] = ['head', 'senior_leader', 'office'];

export const retentionRows: FeatureRows = {
  rows: {
    'GET /settings/retention': { allowed: KEEPERS, url: () => '/settings/retention' },
    'GET /settings/retention/erase': { allowed: KEEPERS, url: () => '/settings/retention/erase?kind=complaints' },
    'POST /settings/retention/erase': { allowed: KEEPERS, url: () => '/settings/retention/erase', form: () => ({ kind: 'complaints', before: '2000-01-01' }) },
  },
};
