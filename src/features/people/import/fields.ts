import type { z } from 'zod';
import type { Flag } from '../../../db/schema.ts';
import { parseYesNo } from '../validation.ts';
import type { Problem } from './types.ts';

/**
 * Small helpers that run one cell through a field rule and collect problems named after the
 * column as the file spells it. The rules themselves come from ../validation.ts.
 */
export class RowReader {
  readonly problems: Problem[] = [];

  /** Parse with a Zod rule; on failure note the first message and return undefined. */
  zod<S extends z.ZodType>(field: string, schema: S, raw: string | undefined): z.infer<S> | undefined {
    const result = schema.safeParse(raw ?? '');
    if (result.success) return result.data;
    this.problems.push({ field, message: result.error.issues[0]?.message ?? `${field} is not valid` });
    return undefined;
  }

  /** Y/N, Yes/No, True/False, 1/0; blank is "not stated" (undefined). */
  yesNo(field: string, raw: string | undefined): Flag | undefined {
    if (raw === undefined || raw === '') return undefined;
    const v = parseYesNo(raw, 0);
    if (v === null) this.problems.push({ field, message: `${field} must be Y or N (Yes or No), not "${clip(raw)}"` });
    return v ?? undefined;
  }

  /** A choice from a list: parse returns null for words it does not know. */
  choice<T>(field: string, raw: string, parse: (raw: string) => T | null, expected: string): T | undefined {
    const v = parse(raw);
    if (v === null) this.problems.push({ field, message: `${field} "${clip(raw)}" is not one we recognise: use ${expected}` });
    return v ?? undefined;
  }

  /** Optional plain text: blank is null; no markup or control characters; at most `max` characters. */
  text(field: string, raw: string | undefined, max: number): string | null | undefined {
    if (raw === undefined) return undefined;
    const v = raw.trim().normalize('NFC');
    if (v === '') return null;
    if (v.length > max) this.problems.push({ field, message: `${field} must be ${max} characters or fewer` });
    else if (/[<>{}\\]|\p{Cc}/u.test(v)) this.problems.push({ field, message: `${field} must not contain < > { } \\ or control characters` });
    else return v;
    return undefined;
  }

  missing(field: string, message: string): void {
    this.problems.push({ field, message });
  }
}

/** A value quoted in a message, cut short so a stray paragraph does not fill the page. */
export function clip(raw: string, max = 40): string {
  return raw.length > max ? `${raw.slice(0, max)}…` : raw;
}

/**
 * A problem as one line: "Forename: Enter forename", but a message that already starts with the
 * column's name says it once ('UPN "A12345678901" must be 13 characters…', not "UPN: UPN …").
 */
export function problemText(p: Problem): string {
  const field = p.field.trim();
  const named = field !== '' && p.message.toLowerCase().startsWith(field.toLowerCase()) && /^[\s"':]/.test(p.message.slice(field.length));
  return named ? p.message : `${p.field}: ${p.message}`;
}
