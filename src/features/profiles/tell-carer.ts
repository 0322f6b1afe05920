import type { Kysely } from 'kysely';
import type { Database, ProfileProposalTable } from '../../db/schema.ts';
import { pupilsCarerMayHearAbout } from '../../platform/access/hear.ts';
import { carerLanguage } from '../../platform/i18n/languages.ts';
import { textForSchool } from '../../platform/i18n/plugin.ts';
import { enqueue } from '../../platform/outbox/outbox.ts';
import { absoluteLink } from '../../platform/web/links.ts';

/** What a decision needs to tell the carer: where the school's Gatepost is, and its name. */
export type TellContext = { baseUrl: string; schoolName: string; today: string };

/**
 * Tell the carer who proposed a change that it was accepted or declined: an email through the
 * outbox, in their language, with the school's note (its own words) when it wrote one. Only while
 * they may still hear about the child for the profile (platform/access): a restriction made since
 * stops it. Once per proposal (the idempotency key).
 */
export async function tellProposer(db: Kysely<Database>, proposal: ProfileProposalTable, pupilId: string, status: 'accepted' | 'rejected', ctx: TellContext, now: Date): Promise<number> {
  if (proposal.by_kind !== 'carer' || !proposal.carer_id) return 0;
  const may = await pupilsCarerMayHearAbout(db, { schoolId: proposal.school_id, carerId: proposal.carer_id, pupilIds: [pupilId], purpose: 'profile', today: ctx.today });
  if (!may.has(pupilId)) return 0;
  const [carer, pupil] = await Promise.all([
    db.selectFrom('carers').select(['email', 'preferred_language']).where('school_id', '=', proposal.school_id).where('id', '=', proposal.carer_id).executeTakeFirst(),
    db.selectFrom('pupils').select('given_name').where('school_id', '=', proposal.school_id).where('id', '=', pupilId).executeTakeFirst(),
  ]);
  if (!carer?.email || !pupil) return 0;
  const t = await textForSchool(db, proposal.school_id, carerLanguage(carer.preferred_language).code, now);
  const child = pupil.given_name;
  const accepted = status === 'accepted';
  const text = [
    accepted ? t('profiles.told.accepted.body', { school: ctx.schoolName, child }) : t('profiles.told.declined.body', { school: ctx.schoolName, child }),
    ...(proposal.decision_note ? ['', t('profiles.told.note'), proposal.decision_note] : []),
    '',
    t('profiles.told.see'),
    absoluteLink(ctx.baseUrl, `/children/${pupilId}/profile`),
  ].join('\n');
  await enqueue(
    db,
    [
      {
        channel: 'email',
        schoolId: proposal.school_id,
        key: `profile-decided:${proposal.id}`,
        ref: proposal.id,
        payload: { to: carer.email, subject: accepted ? t('profiles.told.accepted.subject', { child }) : t('profiles.told.declined.subject', { child }), text },
      },
    ],
    now,
  );
  return 1;
}
