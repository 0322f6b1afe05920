import { z } from 'zod';
import { DATE_BOXES, dateBoxesInError, type DateParts } from '../calendar/typed.ts';
import type { Html } from './nunjucks.ts';

/**
 * Forms: parse with Zod at the edge; on failure return the errors per field and exactly what the
 * person typed, so the page can show an error summary, an error beside each field, and keep the values.
 */
export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/**
 * The errors a page shows: an error that names a person is Html from namedHtml (the words escaped, each name
 * isolated). GOV.UK's error message draws it as it is from `text:` (Nunjucks never escapes Html twice), and
 * errorList hands it to the error summary as `html`.
 */
export type PageErrors = Record<string, string | Html>;

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const values = (body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {}) as Record<string, unknown>;
  delete values._csrf;
  const result = schema.safeParse(withDateParts(values));
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

const BOX = /^(.+)-(day|month|year)$/;

/**
 * The three boxes of a GOV.UK date input (`when-day`, `when-month`, `when-year`) folded into one value
 * `when: { day, month, year }` for the schema (dateField in platform/calendar/typed.ts reads it). The
 * boxes stay in the values as typed, so the page shows them again. A single text `when` wins.
 */
export function withDateParts(values: Record<string, unknown>): Record<string, unknown> {
  const folded: Record<string, unknown> = { ...values };
  for (const key of Object.keys(values)) {
    const match = BOX.exec(key);
    if (!match || typeof values[key] !== 'string') continue;
    const name = match[1]!;
    const current = folded[name];
    if (typeof current === 'string' && current.trim() !== '') continue;
    const parts: DateParts = current && typeof current === 'object' ? (current as DateParts) : {};
    folded[name] = { ...parts, [match[2]!]: values[key] };
  }
  return folded;
}

/**
 * The error summary list for govukErrorSummary: each links to its field; a date typed in three boxes
 * links to the first box at fault, as GOV.UK's date input pattern asks.
 */
export function errorList(errors: PageErrors | undefined, body?: unknown): ({ text: string; href: string } | { html: Html; href: string })[] {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const posted = withDateParts(values);
  return Object.entries(errors ?? {}).map(([field, message]) => {
    const words = typeof message === 'string' ? { text: message } : { html: message };
    // Only a field typed in the three boxes links to a box (an uploaded file is an object too).
    const value = posted[field];
    if (!DATE_BOXES.some((b) => typeof values[`${field}-${b}`] === 'string') || !value || typeof value !== 'object') return { ...words, href: `#${field}` };
    const first = DATE_BOXES.find((b) => dateBoxesInError(value).includes(b)) ?? 'day';
    return { ...words, href: `#${field}-${first}` };
  });
}

// Field helpers shared by forms: trimmed text, optional text, yes/no checkboxes.
export const text = (label: string, max = 100) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`);

export const optionalText = (label: string, max = 200) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null));

/** A checkbox: present ('yes', 'on', '1', 'true') is 1, absent is 0. */
export const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v): 0 | 1 => (v === undefined ? 0 : 1));

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
