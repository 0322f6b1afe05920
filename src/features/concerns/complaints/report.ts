import { z } from 'zod';
import type { ComplaintOutcome } from '../../../db/schema.ts';

/**
 * The investigating officer's report, built on the checklist (seed 004; issue 14, point 7): it
 * explains the officer's independence, what happened, how it was handled and whether it is resolved,
 * and answers each check — fair, full, proportionate and appropriate, timely, confidential, and free
 * of barriers to a full investigation. It can be saved part-done; it cannot be issued with a point
 * unanswered.
 */
export const REPORT_POINTS = [
  { key: 'independence', label: 'The investigating officer’s independence', hint: 'Why you are not connected with the matter' },
  { key: 'what_happened', label: 'What happened', hint: 'The facts as the investigation found them' },
  { key: 'how_handled', label: 'How the matter was handled', hint: 'What the school did, and when' },
  { key: 'resolved', label: 'Is it resolved, in your opinion?', hint: 'And what would resolve it' },
  { key: 'fair', label: 'Is the report fair?', hint: 'Both sides heard; evidence weighed' },
  { key: 'full', label: 'Is it full?', hint: 'Every part of the complaint answered' },
  { key: 'proportionate', label: 'Is it proportionate and appropriate?', hint: 'The response matches the matter' },
  { key: 'timely', label: 'Is it timely?', hint: 'Within the school’s limits, or why not' },
  { key: 'confidential', label: 'Has the investigation remained confidential?', hint: 'Who knew, and why' },
  { key: 'barriers', label: 'Were there any barriers that prevented a full investigation?', hint: 'People unavailable, records missing; or none' },
] as const;
export type ReportKey = (typeof REPORT_POINTS)[number]['key'];
export type Report = Record<ReportKey, string> & { outcome: ComplaintOutcome | '' };

export const OUTCOME_LABELS: Record<ComplaintOutcome, string> = { upheld: 'Upheld', partly: 'Partly upheld', not_upheld: 'Not upheld' };

const answer = z
  .string()
  .optional()
  .transform((v) => (v ?? '').trim())
  .refine((v) => v.length <= 5_000, 'Each answer must be 5,000 characters or fewer');

export const ReportForm = z.object({
  ...Object.fromEntries(REPORT_POINTS.map((p) => [p.key, answer])),
  outcome: z
    .enum(['upheld', 'partly', 'not_upheld', ''])
    .optional()
    .transform((v) => v ?? ''),
  issue: z.string().optional(),
}) as unknown as z.ZodType<Report & { issue?: string }>;

/** The points still unanswered: one error per field, as the form shows it. */
export function unanswered(report: Report): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of REPORT_POINTS) if (!report[p.key].trim()) errors[p.key] = `Answer “${p.label}” before issuing the report`;
  if (!report.outcome) errors.outcome = 'Choose the outcome: upheld, partly upheld or not upheld';
  return errors;
}

export function readReport(json: string | null): Report {
  const empty = Object.fromEntries([...REPORT_POINTS.map((p) => [p.key, '']), ['outcome', '']]) as Report;
  if (!json) return empty;
  try {
    return { ...empty, ...(JSON.parse(json) as Partial<Report>) };
  } catch {
    return empty;
  }
}
