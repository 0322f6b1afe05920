import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import { purposeOf } from './recipients.ts';

type Db = Kysely<Database>;

export type PaperRecipient = {
  carerId: string;
  name: string;
  address: string[];
  language: string;
  children: string[];
};

/**
 * Everyone a sent message went to on paper, with their postal address as the school holds it now.
 * Printing comes after sending, so the rules are applied again: a child under a restriction now in
 * force for that carer (or a link now saying "may not receive information", or no link at all) is taken out of the letter (and a letter left about nobody is not printed),
 * and a carer whose record has been closed gets none.
 */
export async function paperRecipients(db: Db, schoolId: string, messageId: string, today: string): Promise<{ letters: PaperRecipient[]; withheld: number }> {
  const rows = await db
    .selectFrom('message_recipients')
    .innerJoin('carers', 'carers.id', 'message_recipients.carer_id')
    .select([
      'message_recipients.carer_id',
      'message_recipients.pupil_ids',
      'message_recipients.pupil_names',
      'message_recipients.language',
      'message_recipients.channels',
      'carers.title',
      'carers.given_name',
      'carers.family_name',
      'carers.address_line1',
      'carers.address_line2',
      'carers.town',
      'carers.postcode',
      'carers.archived_at',
    ])
    .where('message_recipients.message_id', '=', messageId)
    .where('message_recipients.school_id', '=', schoolId)
    .orderBy('carers.family_name')
    .orderBy('carers.given_name')
    .execute();
  const onPaper = rows.filter((r) => r.channels.split(',').includes('paper'));
  const carerIds = [...new Set(onPaper.map((r) => r.carer_id))];
  // The one rule again, for today (platform/access/hear.ts): a child the carer may no longer hear about comes out.
  const message = await db.selectFrom('messages').select('kind').where('id', '=', messageId).where('school_id', '=', schoolId).executeTakeFirst();
  const pupilIds = [...new Set(onPaper.flatMap((r) => (r.pupil_ids ? r.pupil_ids.split(',') : [])))];
  const answers = message && carerIds.length > 0 ? await whoMayHear(db, { schoolId, pupilIds, purpose: purposeOf(message.kind), today, carerIds }) : [];
  const stillLinked = new Set(answers.map((a) => `${a.pupilId}:${a.carerId}`));
  const restricted = new Set(answers.filter((a) => !a.decision.may && a.decision.reason !== 'lives_apart').map((a) => `${a.pupilId}:${a.carerId}`));
  for (const r of onPaper) for (const id of r.pupil_ids ? r.pupil_ids.split(',') : []) if (!stillLinked.has(`${id}:${r.carer_id}`)) restricted.add(`${id}:${r.carer_id}`);

  let withheld = 0;
  const letters: PaperRecipient[] = [];
  for (const r of onPaper) {
    if (r.archived_at) {
      withheld += 1;
      continue;
    }
    const ids = r.pupil_ids ? r.pupil_ids.split(',') : [];
    const names = r.pupil_names ? r.pupil_names.split(', ') : [];
    const children = ids.length === names.length ? names.filter((_, i) => !restricted.has(`${ids[i]}:${r.carer_id}`)) : names;
    if (ids.length > 0 && children.length === 0) {
      withheld += 1;
      continue;
    }
    letters.push({
      carerId: r.carer_id,
      name: [r.title, r.given_name, r.family_name].filter(Boolean).join(' '),
      address: [r.address_line1, r.address_line2, r.town, r.postcode].filter((l): l is string => !!l && l.trim() !== ''),
      language: r.language,
      children,
    });
  }
  return { letters, withheld };
}
