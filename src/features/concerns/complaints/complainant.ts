import type { Db } from '../../../db/database.ts';
import type { YearGroup } from '../../../db/schema.ts';
import { english, type Text } from '../../../platform/i18n/catalog.ts';
import type { PreparedLetter } from '../notify.ts';
import type { SchoolWords } from '../concerns.ts';
import { carerOf, childName, entriesOf, fullName, pupilOf } from '../queries.ts';
import type { Complaint } from './queries.ts';

/**
 * Who made a complaint, whoever they are (issue 14, point 5): a carer of the child it is about (their
 * words kept as a concern's entries, so any of it can be marked as safeguarding), or a member of the
 * public whose complaint the head took on from the public form (migration 0028: no child, no carer;
 * their name, email and words are on the `public_complaints` row). Every step of the formal procedure
 * asks here, so none of them assumes a pupil and a carer.
 */
export type Complainant = {
  kind: 'carer' | 'public';
  name: string;
  /** The public complainant's address (letters to a carer go by prepareLetter, in their language). */
  email: string | null;
  pupil: { id: string; name: string; childName: string; year_group: YearGroup } | null;
  /** The complaint in the complainant's words, without anything marked as safeguarding. */
  words: { id: string; kind: string; body: string }[];
  /** A public complainant's words are marked as safeguarding: left out of `words` (the DSL reads them on the public complaint's page). */
  wordsMarked: boolean;
};

export async function complainantOf(db: Db, complaint: Complaint): Promise<Complainant> {
  const s = complaint.school_id;
  if (complaint.public_complaint_id) {
    const p = await db
      .selectFrom('public_complaints')
      .select(['id', 'name', 'email', 'about', 'would_like', 'safeguarding'])
      .where('id', '=', complaint.public_complaint_id)
      .where('school_id', '=', s)
      .executeTakeFirstOrThrow();
    return {
      kind: 'public',
      name: p.name,
      email: p.email,
      pupil: null,
      words: p.safeguarding
        ? []
        : [
            { id: `${p.id}:about`, kind: 'what_happened', body: p.about },
            { id: `${p.id}:would_like`, kind: 'would_like', body: p.would_like },
          ],
      wordsMarked: p.safeguarding === 1,
    };
  }
  const [pupil, carer, entries] = await Promise.all([pupilOf(db, s, complaint.pupil_id!), carerOf(db, s, complaint.carer_id!), entriesOf(db, { id: complaint.concern_id!, school_id: s }, false)]);
  return {
    kind: 'carer',
    name: carer ? `${carer.given_name} ${carer.family_name}` : 'The complainant',
    email: null,
    pupil: { id: pupil.id, name: fullName(pupil), childName: childName(pupil), year_group: pupil.year_group },
    words: entries.map((e) => ({ id: e.id, kind: e.kind, body: e.body })),
    wordsMarked: false,
  };
}

/** How the case team names a complaint: the child's name, or for a complaint from the public the complainant's. */
export function caseTitle(c: Pick<Complainant, 'name' | 'pupil'>): string {
  return c.pupil ? c.pupil.name : `${c.name} (public form)`;
}

/**
 * A letter to a member of the public about their complaint: by email to the address they gave,
 * through the outbox, in English (their language is not known), with no link (they have no account).
 */
export function letterToPublicComplainant(
  complaint: Pick<Complaint, 'id' | 'school_id'>,
  who: { name: string; email: string },
  schoolName: string,
  key: string,
  write: (t: Text) => { subject: string; lines: (string | SchoolWords)[] },
): PreparedLetter {
  const letter = write(english);
  const text = [`Dear ${who.name},`, '', ...letter.lines.flatMap((line) => [typeof line === 'string' ? line : line.schoolWrote, '']), schoolName].join('\n');
  const mail = { subject: `${schoolName}: ${letter.subject}`, text };
  return {
    channel: 'email',
    items: [{ channel: 'email', schoolId: complaint.school_id, key: `${key}:public`, ref: complaint.id, payload: { to: who.email, subject: mail.subject, text: mail.text } }],
    written: mail,
  };
}
