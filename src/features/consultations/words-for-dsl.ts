import type { Db } from '../../db/database.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import type { ScopeContext } from '../../platform/access/scope.ts';
import { staffWriterName, type PassedWords } from '../../platform/safeguarding/words.ts';
import { commentWords } from './comments.ts';
import { CONSULTERS, TRANSLATORS } from './routes.ts';

/** Who reads everyone's comments on a consultation (its page shows them all): those who consult and those who translate. */
export const COMMENT_READERS = [...new Set([...CONSULTERS, ...TRANSLATORS])];

/**
 * A comment on a consultation, for "Pass this to the DSL" (features/safeguarding): a parent who writes
 * about a policy can say something about their child or home that the DSL must hear. Found only for
 * those who read every comment on the consultation's page (COMMENT_READERS); otherwise undefined, and
 * the caller answers 404. 'gone' once the writer has withdrawn it. It names no child: the writer
 * chooses one, or someone else.
 */
export async function consultationCommentForStaff(db: Db, user: StaffUser, _scope: ScopeContext, commentId: string): Promise<PassedWords | 'gone' | undefined> {
  if (!hasAnyRole(user, COMMENT_READERS)) return undefined;
  const c = await db
    .selectFrom('consultation_comments as c')
    .leftJoin('carers', (j) => j.onRef('carers.id', '=', 'c.carer_id').onRef('carers.school_id', '=', 'c.school_id'))
    .leftJoin('staff', (j) => j.onRef('staff.id', '=', 'c.staff_id').onRef('staff.school_id', '=', 'c.school_id'))
    .select([
      'c.id',
      'c.consultation_id',
      'c.carer_id',
      'c.staff_id',
      'c.body',
      'c.english',
      'c.created_at',
      'c.withdrawn_at',
      'carers.given_name',
      'carers.family_name as carer_family_name',
      'staff.title',
      'staff.family_name',
    ])
    .where('c.id', '=', commentId)
    .where('c.school_id', '=', user.schoolId)
    .executeTakeFirst();
  if (!c) return undefined;
  if (c.withdrawn_at) return 'gone';
  const by: PassedWords['by'] = c.carer_id
    ? { kind: 'carer', id: c.carer_id, name: `${c.given_name ?? ''} ${c.carer_family_name ?? ''}`.trim() }
    : { kind: 'staff', id: c.staff_id ?? '', name: staffWriterName(c) };
  return {
    source: 'consultation_comment',
    recordId: c.id,
    meetingId: null,
    pupilId: null,
    words: commentWords(c),
    by,
    writtenAt: c.created_at,
    link: `/consultations/${c.consultation_id}#comment-${c.id}`,
  };
}
