import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { restrictionInForce } from '../../platform/access/scope.ts';

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
 * force for that carer is taken out of the letter (and a letter left about nobody is not printed),
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
  const restricted = new Set(
    carerIds.length === 0
      ? []
      : (
          await db
            .selectFrom('restrictions')
            .select(['pupil_id', 'carer_id'])
            .where('school_id', '=', schoolId)
            .where('carer_id', 'in', carerIds)
            .where('stops_information', '=', 1)
            .where((eb) => restrictionInForce(eb, today))
            .execute()
        ).map((r) => `${r.pupil_id}:${r.carer_id}`),
  );

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
