import type { Kysely } from 'kysely';
import type { Database, MessageKind, MobileOnlyLetters } from '../../db/schema.ts';
import { whoMayHear, type HearPurpose } from '../../platform/access/hear.ts';
import type { Audience } from './audience.ts';
import { purposeOf, resolveGroup, resolveRecipients, type AudiencePupil, type CarerContact, type FamilyLink, type LeftOut, type Recipient } from './recipients.ts';

type Db = Kysely<Database>;
const CHUNK = 900; // ids per IN (...) list: under SQLite's bind limit with room to spare

async function inChunks<T>(ids: string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await run(ids.slice(i, i + CHUNK))));
  return out;
}

/** The pupils an audience means, in this school, not archived. */
export async function audiencePupils(db: Db, schoolId: string, audience: Audience, onlyPupils?: ReadonlySet<string>): Promise<AudiencePupil[]> {
  if (audience.kind === 'group' || onlyPupils?.size === 0) return [];
  let q = db.selectFrom('pupils').select(['id', 'given_name', 'preferred_name', 'family_name']).where('school_id', '=', schoolId).where('archived_at', 'is', null);
  if (audience.kind === 'years') q = q.where('year_group', 'in', audience.years);
  if (audience.kind === 'classes') q = q.where('class_id', 'in', audience.classIds);
  if (audience.kind === 'pupils') q = q.where('id', 'in', audience.pupilIds);
  if (onlyPupils) q = q.where('id', 'in', [...onlyPupils]);
  return q.orderBy('date_of_birth', 'desc').execute();
}

const CARER_COLUMNS = ['id', 'given_name', 'family_name', 'email', 'mobile', 'preferred_language', 'channel_email', 'channel_app', 'paper_copies'] as const;

/** Everyone who will receive a message, and who is left out and why; and how the school reaches carers with a mobile but no email. */
export async function recipientsFor(
  db: Db,
  schoolId: string,
  kind: MessageKind,
  audience: Audience,
  today: string,
  purpose: HearPurpose = purposeOf(kind),
  /** Only these children of the audience (one family's, to ask whether it is still reached): the rest is not read. */
  onlyPupils?: ReadonlySet<string>,
): Promise<{ recipients: Recipient[]; leftOut: LeftOut[]; mobileOnlyLetters: MobileOnlyLetters }> {
  const school = await db.selectFrom('schools').select('mobile_only_letters').where('id', '=', schoolId).executeTakeFirst();
  const options = { mobileOnlyLetters: school?.mobile_only_letters ?? 'paper' };
  if (audience.kind === 'group') {
    const members = await db
      .selectFrom('carer_group_members')
      .innerJoin('carers', 'carers.id', 'carer_group_members.carer_id')
      .select(CARER_COLUMNS.map((c) => `carers.${c}` as const))
      .where('carer_group_members.group_id', '=', audience.groupId)
      .where('carer_group_members.school_id', '=', schoolId)
      .where('carers.archived_at', 'is', null)
      .execute();
    return { recipients: resolveGroup(kind, members, options), leftOut: [], ...options };
  }
  const pupils = await audiencePupils(db, schoolId, audience, onlyPupils);
  const pupilIds = pupils.map((p) => p.id);
  // Every link with its restrictions in force, answered by the one rule (platform/access/hear.ts).
  const answers = await whoMayHear(db, { schoolId, pupilIds, purpose, today });
  const carerIds = [...new Set(answers.map((a) => a.carerId))];
  const carers = await inChunks(carerIds, (ids) => db.selectFrom('carers').select(CARER_COLUMNS).where('id', 'in', ids).where('archived_at', 'is', null).execute());
  const familyLinks: FamilyLink[] = answers.map(({ pupilId, carerId, contactPriority, link, restrictions }) => ({ pupilId, carerId, contactPriority, link, restrictions }));
  return { ...resolveRecipients(kind, pupils, familyLinks, new Map<string, CarerContact>(carers.map((c) => [c.id, c])), { ...options, purpose }), ...options };
}
