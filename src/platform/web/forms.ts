import { z } from 'zod';

/**
 * Forms: parse with Zod at the edge; on failure return the errors per field and exactly what the
 * person typed, so the page can show an error summary, an error beside each field, and keep the values.
 */
export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const values = (body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {}) as Record<string, unknown>;
  delete values._csrf;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** The error summary list for govukErrorSummary: each links to its field. */
export function errorList(errors: FieldErrors | undefined): { text: string; href: string }[] {
  return Object.entries(errors ?? {}).map(([field, text]) => ({ text, href: `#${field}` }));
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
