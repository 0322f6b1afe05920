import { describe, expect, it } from 'vitest';
import { applyProposal, changesFrom, changesSomething, compare, EMPTY, forCarers, markedLines, mayDecide, nextTermly, reviewState, StaffProposalForm } from './profile.ts';

const v1 = { ...EMPTY, admire: 'Kind\nA brilliant reader', support: 'Give him a minute', support_staff: 'Referral made' };

describe('a profile written together', () => {
  it('keeps only what a proposal changes, and accepting it changes only that', () => {
    const changes = changesFrom(v1, { ...v1, support: 'Give him a minute\nPictures for new words' });
    expect(changes.support).toBe('Give him a minute\nPictures for new words');
    expect(changes.admire).toBeNull();
    expect(changes.support_staff).toBeNull();
    // Someone else changed the admire heading meanwhile: accepting keeps their change.
    const now = { ...v1, admire: 'Kind\nA brilliant reader\nFunny' };
    const next = applyProposal(now, { ...changes, admire: null, important: null, pupil_voice: null, admire_staff: null, important_staff: null, support_staff: null, support: changes.support! });
    expect(next).toMatchObject({ admire: 'Kind\nA brilliant reader\nFunny', support: 'Give him a minute\nPictures for new words', support_staff: 'Referral made' });
  });

  it('a proposal that changes nothing is nothing; new words alone are a change', () => {
    expect(changesSomething(changesFrom(v1, v1), null, null)).toBe(false);
    expect(changesSomething(changesFrom(v1, v1), 'Kuba jest wrażliwy', null)).toBe(true);
    expect(changesSomething(changesFrom(v1, v1), 'Kuba jest wrażliwy', 'Kuba jest wrażliwy')).toBe(false);
  });

  it('carers never see the staff-only notes', () => {
    expect(Object.keys(forCarers(v1)).sort()).toEqual(['admire', 'important', 'pupil_voice', 'support']);
    expect(compare(v1, v1, { staffOnly: false }).map((c) => c.section)).not.toContain('support_staff');
    expect(compare(v1, v1, { staffOnly: true }).map((c) => c.section)).toContain('support_staff');
  });

  it('shows what changed heading by heading, marking lines taken out and added', () => {
    const after = { ...v1, admire: 'Kind\nFunny' };
    const rows = compare(v1, after, { staffOnly: false });
    expect(rows.find((r) => r.section === 'admire')).toMatchObject({ changed: true, before: v1.admire, after: 'Kind\nFunny' });
    expect(rows.find((r) => r.section === 'support')?.changed).toBe(false);
    expect(markedLines(v1.admire, after.admire)).toEqual({
      before: [
        { text: 'Kind', changed: false },
        { text: 'A brilliant reader', changed: true },
      ],
      after: [
        { text: 'Kind', changed: false },
        { text: 'Funny', changed: true },
      ],
    });
  });

  it('the SENCO, or the pupil’s own class teacher, decides', () => {
    expect(mayDecide({ id: 's', roles: ['senco'] }, [])).toBe(true);
    expect(mayDecide({ id: 't', roles: ['teacher'] }, ['t'])).toBe(true);
    expect(mayDecide({ id: 't2', roles: ['teacher'] }, ['t'])).toBe(false);
    expect(mayDecide({ id: 'h', roles: ['head'] }, ['t'])).toBe(false);
  });

  it('reviews: termly is the start of next term; due on the day, soon within two weeks', () => {
    const terms = [{ starts_on: '2026-09-02' }, { starts_on: '2027-01-05' }];
    expect(nextTermly('2026-11-26', terms)).toBe('2027-01-05');
    expect(nextTermly('2027-02-01', terms)).toBe('2027-04-26'); // no term recorded after: twelve weeks on
    expect(reviewState(null, null, '2026-11-26')).toEqual({ state: 'none' });
    expect(reviewState('2026-11-26', 'termly', '2026-11-26').state).toBe('due');
    expect(reviewState('2026-12-08', 'transition', '2026-11-26').state).toBe('soon');
    expect(reviewState('2027-01-05', 'termly', '2026-11-26').state).toBe('later');
  });

  it('reads the staff form: trimmed, line endings made plain, too long told beside the field', () => {
    const ok = StaffProposalForm.safeParse({ admire: '  Kind\r\nFunny  ', note: '' });
    expect(ok.success && ok.data.admire).toBe('Kind\nFunny');
    expect(ok.success && ok.data.support).toBe('');
    const long = StaffProposalForm.safeParse({ support: 'x'.repeat(4001) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({ path: ['support'], message: 'How best to support must be 4,000 characters or fewer' });
    expect(StaffProposalForm.safeParse({ admire: ['a', 'b'] }).success).toBe(false);
  });
});
