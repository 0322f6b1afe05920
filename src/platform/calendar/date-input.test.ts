import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dateField, readDateParts } from './typed.ts';
import { errorList, parseForm } from '../web/forms.ts';
import { createTemplates } from '../web/nunjucks.ts';

const Form = z.object({ met_on: dateField('the date of the meeting'), review_on: dateField('the review date', { optional: true }) });
const boxes = (day: string, month: string, year: string) => ({ 'met_on-day': day, 'met_on-month': month, 'met_on-year': year });

describe('a date typed in three boxes or one text', () => {
  it.each([
    [{ met_on: '9/12/2026' }],
    [{ met_on: '09/12/2026' }],
    [{ met_on: '9 Dec 2026' }],
    [{ met_on: '2026-12-09' }],
    [boxes('9', '12', '2026')],
    [boxes('09', '12', '2026')],
    [boxes(' 9 ', ' 12', '2026 ')],
    [boxes('9', 'Dec', '2026')],
    [boxes('9', 'december', '2026')],
  ])('%o is 9 December 2026', (body) => {
    expect(parseForm(Form, body)).toEqual({ ok: true, data: { met_on: '2026-12-09', review_on: null } });
  });

  it.each([
    [boxes('', '', ''), 'Enter the date of the meeting', ['day', 'month', 'year']],
    [{}, 'Enter the date of the meeting', ['day', 'month', 'year']],
    [boxes('9', '', '2026'), 'The date of the meeting must include a month', ['month']],
    [boxes('', '', '2026'), 'The date of the meeting must include a day and month', ['day', 'month']],
    [boxes('9', '12', ''), 'The date of the meeting must include a year', ['year']],
    [boxes('31', '2', '2027'), 'The date of the meeting must be a real date', ['day']],
    [boxes('29', '2', '2027'), 'The date of the meeting must be a real date', ['day']],
    [boxes('9', '13', '2026'), 'The date of the meeting must be a real date', ['month']],
    [boxes('32', '1', '2027'), 'The date of the meeting must be a real date', ['day']],
    [boxes('nine', 'Decembre', '2026'), 'The date of the meeting must be a real date', ['day', 'month']],
    [boxes('9', '12', '26'), 'Year must include 4 numbers', ['year']],
  ])('%o is refused: %s', (body, problem, wrong) => {
    const form = parseForm(Form, body);
    expect(form.ok).toBe(false);
    if (!form.ok) {
      expect(form.errors).toEqual({ met_on: problem });
      expect(form.values).toEqual(body); // the boxes come back as typed
    }
    const parts = { day: (body as Record<string, string>)['met_on-day'], month: (body as Record<string, string>)['met_on-month'], year: (body as Record<string, string>)['met_on-year'] };
    const read = readDateParts(parts);
    expect(read.ok ? [] : read.boxes).toEqual(wrong);
  });

  it('a single text that could be read two ways or cannot be a date says what to write instead', () => {
    expect(parseForm(Form, { met_on: '12/31/2026' })).toMatchObject({ ok: false, errors: { met_on: 'Write the day before the month, like 9/12/2026 or 9 December 2026' } });
    expect(parseForm(Form, { met_on: '31/2/2027' })).toMatchObject({ ok: false, errors: { met_on: 'There is no 31 February 2027: write a real date, like 9/12/2026 or 9 December 2026' } });
    expect(parseForm(Form, { met_on: '9/12' })).toMatchObject({ ok: false, errors: { met_on: 'Include the year, like 9/12/2026 or 9 December 2026' } });
  });

  it('an optional date is null when left empty and read when typed', () => {
    expect(parseForm(Form, { ...boxes('1', '1', '2027'), 'review_on-day': '', 'review_on-month': '', 'review_on-year': '' })).toMatchObject({ ok: true, data: { review_on: null } });
    expect(parseForm(Form, { ...boxes('1', '1', '2027'), 'review_on-day': '3', 'review_on-month': '2', 'review_on-year': '2027' })).toMatchObject({ ok: true, data: { review_on: '2027-02-03' } });
    expect(parseForm(Form, { ...boxes('1', '1', '2027'), 'review_on-month': '2' })).toMatchObject({ ok: false, errors: { review_on: 'The review date must include a day and year' } });
  });

  it('the error summary links to the first box at fault', () => {
    expect(errorList({ met_on: 'x' }, boxes('9', '', ''))).toEqual([{ text: 'x', href: '#met_on-month' }]);
    expect(errorList({ met_on: 'x' }, boxes('31', '2', '2027'))).toEqual([{ text: 'x', href: '#met_on-day' }]);
    expect(errorList({ met_on: 'x' }, boxes('9', '12', '26'))).toEqual([{ text: 'x', href: '#met_on-year' }]);
    expect(errorList({ met_on: 'x' }, { met_on: '9/12' })).toEqual([{ text: 'x', href: '#met_on' }]);
    expect(errorList({ file: 'Attach a PDF' }, { file: { filename: 'policy.exe', mimetype: 'application/octet-stream' } })).toEqual([{ text: 'Attach a PDF', href: '#file' }]); // an upload is an object, not a date
  });
});

describe('the shared date input macro', () => {
  const env = createTemplates();
  const draw = (values: Record<string, unknown>, errors: Record<string, string> = {}) =>
    env.renderString('{% from "platform/web/views/date-input.njk" import dateInput with context %}{{ dateInput({ name: "met_on", label: "Date of the meeting", values: values, errors: errors }) }}', {
      values,
      errors,
    });

  it('draws three labelled boxes holding what was typed, and highlights only the boxes at fault', () => {
    const html = draw(boxes('9', '', '2026'), { met_on: 'The date of the meeting must include a month' });
    expect(html).toContain('name="met_on-day" type="text" value="9"');
    expect(html).toContain('name="met_on-year" type="text" value="2026"');
    expect(html).toMatch(/govuk-input--error" id="met_on-month"/);
    expect(html).not.toMatch(/govuk-input--error" id="met_on-day"/);
    expect(html).not.toMatch(/govuk-input--error" id="met_on-year"/);
    expect(html).toContain('The date of the meeting must include a month');
    expect(html).toMatch(/for="met_on-day">\s*Day\s*<\/label>/);
  });

  it('spreads a saved or single-text date over the boxes', () => {
    expect(draw({ met_on: '2026-12-09' })).toContain('name="met_on-month" type="text" value="12"');
    expect(draw({ met_on: '9 Dec 2026' })).toContain('name="met_on-day" type="text" value="9"');
  });
});
