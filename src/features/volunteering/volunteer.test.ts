import { describe, expect, it } from 'vitest';
import { mayPutOn, readApproval, reviewState } from './volunteer.ts';

const TODAY = '2026-11-26';
const DBS_ROLE = { needs_dbs: 1 as const };

describe('the checks before approving a volunteer', () => {
  it('a translator is approved for one or more of the school’s languages, chosen from the list', () => {
    const role = { needs_dbs: 0 as const, kind: 'translating' as const };
    const base = { supervised: 'yes', risk_assessment: 'Translates at home', risk_assessed_on: '2026-11-20', review_on: '2027-11-20' };
    expect(readApproval(base, role, TODAY)).toEqual({ ok: false, errors: { languages: 'Choose the languages they translate into' } });
    expect(readApproval({ ...base, languages: 'Klingon' }, role, TODAY)).toEqual({ ok: false, errors: { languages: 'Choose languages from the list' } });
    const read = readApproval({ ...base, languages: ['Urdu', 'Polish'] }, role, TODAY);
    expect(read.ok && read.approval.languages).toEqual(['Polish', 'Urdu']);
  });

  it('a supervised volunteer needs a written risk assessment, not a DBS check', () => {
    const read = readApproval(
      { supervised: 'yes', risk_assessment: 'Reads with pupils in the library, always with Mr Okafor in sight', risk_assessed_on: '2026-11-20', review_on: '2027-11-20' },
      DBS_ROLE,
      TODAY,
    );
    expect(read).toEqual({
      ok: true,
      approval: {
        supervised: 1,
        dbsCertificate: null,
        dbsCheckedOn: null,
        barredListChecked: 0,
        riskAssessment: 'Reads with pupils in the library, always with Mr Okafor in sight',
        riskAssessedOn: '2026-11-20',
        reviewOn: '2027-11-20',
      },
    });
  });
  it('refuses a barred-list check for a supervised volunteer, and asks for the risk assessment', () => {
    const read = readApproval({ supervised: 'yes', barred_list_checked: 'yes', review_on: '2027-11-20' }, DBS_ROLE, TODAY);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.barred_list_checked).toBe('A barred-list check is not allowed for a supervised volunteer: untick it');
    expect(read.errors.risk_assessment).toBe('Write the risk assessment for a supervised volunteer');
    expect(read.errors.risk_assessed_on).toBe('Enter the date of the risk assessment');
  });
  it('an unsupervised volunteer in a role that needs it needs an enhanced DBS check with the barred list', () => {
    const missing = readApproval({ supervised: 'no', dbs_certificate: '1234', review_on: '2027-11-20' }, DBS_ROLE, TODAY);
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.errors.dbs_certificate).toContain('12 digits');
      expect(missing.errors.dbs_checked_on).toBe('Enter the date of the DBS certificate');
      expect(missing.errors.barred_list_checked).toContain('barred list');
    }
    const done = readApproval({ supervised: 'no', dbs_certificate: '0012 3456 7890', dbs_checked_on: '2026-10-01', barred_list_checked: 'yes', review_on: '2029-10-01' }, DBS_ROLE, TODAY);
    expect(done).toMatchObject({ ok: true, approval: { supervised: 0, dbsCertificate: '001234567890', barredListChecked: 1 } });
  });
  it('a role that needs no DBS check needs none when unsupervised; every approval has a review date in the future', () => {
    expect(readApproval({ supervised: 'no', review_on: '2027-06-01' }, { needs_dbs: 0 }, TODAY)).toMatchObject({ ok: true });
    const past = readApproval({ supervised: 'no', review_on: '2026-01-01' }, { needs_dbs: 0 }, TODAY);
    expect(past).toMatchObject({ ok: false, errors: { review_on: 'The review date must be in the future' } });
    expect(readApproval({ supervised: 'no' }, { needs_dbs: 0 }, TODAY)).toMatchObject({ ok: false, errors: { review_on: 'Enter the review date' } });
    expect(readApproval({ review_on: '2027-06-01' }, { needs_dbs: 0 }, TODAY)).toMatchObject({ ok: false, errors: { supervised: 'Say whether they will be supervised' } });
  });
});

describe('review dates and activities', () => {
  it('shows a review as due within 30 days, and overdue after its date', () => {
    expect(reviewState({ status: 'approved', review_on: '2027-06-01' }, TODAY)).toEqual({ state: 'ok', on: '2027-06-01' });
    expect(reviewState({ status: 'approved', review_on: '2026-12-10' }, TODAY)).toEqual({ state: 'soon', on: '2026-12-10' });
    expect(reviewState({ status: 'approved', review_on: '2026-11-01' }, TODAY)).toEqual({ state: 'overdue', on: '2026-11-01' });
    expect(reviewState({ status: 'offered', review_on: null }, TODAY)).toEqual({ state: 'none' });
  });
  it('puts nobody on an activity until approved, nor past their review', () => {
    expect(mayPutOn({ status: 'offered', review_on: null }, TODAY)).toEqual({ ok: false, message: 'Approve the volunteer before putting them on an activity' });
    expect(mayPutOn({ status: 'declined', review_on: null }, TODAY).ok).toBe(false);
    expect(mayPutOn({ status: 'approved', review_on: '2026-11-01' }, TODAY)).toMatchObject({ ok: false, message: expect.stringContaining('review') });
    expect(mayPutOn({ status: 'approved', review_on: '2027-11-01' }, TODAY)).toEqual({ ok: true });
  });
});
