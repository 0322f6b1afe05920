/**
 * Plain rules of the policies register and of consultations: no database, no HTTP.
 */

/** One section of a policy's text, as carers and staff comment on it. */
export type Section = { heading: string; body: string };

/**
 * Split a policy's text into sections: a line starting with "## " (or "# ") begins a section and
 * names it. Text before the first heading is an "Introduction"; a text with no headings is split
 * at blank-line paragraphs ("Part 1", "Part 2", …) so there is always something to comment on.
 */
export function splitSections(text: string): Section[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: Section[] = [];
  let heading: string | null = null;
  let body: string[] = [];
  const flush = () => {
    const joined = body.join('\n').trim();
    if (heading !== null || joined) sections.push({ heading: heading ?? 'Introduction', body: joined });
    body = [];
  };
  for (const line of lines) {
    const match = /^#{1,2}\s+(.+?)\s*$/.exec(line);
    if (match) {
      flush();
      heading = match[1]!;
    } else body.push(line);
  }
  flush();
  const real = sections.filter((s) => s.body || s.heading !== 'Introduction');
  if (real.length > 1 || (real.length === 1 && real[0]!.heading !== 'Introduction')) return real;
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return paragraphs.map((p, i) => ({ heading: `Part ${i + 1}`, body: p }));
}

/** A policy in the register, as the reminder rule needs it. */
export type ReviewDue = { id: string; title: string; statutory_yearly: 0 | 1; next_review_on: string };

/** How far ahead the register reminds an owner of a review. */
export const REMIND_DAYS_AHEAD = 30;

/** The day `days` after a plain date (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A year on from a plain date (29 February → 28 February). */
export function aYearOn(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d, 12));
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

/**
 * The reviews to remind an owner of: overdue or due within REMIND_DAYS_AHEAD, statutory yearly
 * ones first, then the soonest first. `overdue` says whether the date has passed.
 */
export function reviewsToRemind<P extends ReviewDue>(policies: readonly P[], today: string): (P & { overdue: boolean })[] {
  const until = addDays(today, REMIND_DAYS_AHEAD);
  return policies
    .filter((p) => p.next_review_on <= until)
    .map((p) => ({ ...p, overdue: p.next_review_on < today }))
    .sort((a, b) => b.statutory_yearly - a.statutory_yearly || a.next_review_on.localeCompare(b.next_review_on) || a.title.localeCompare(b.title));
}
