import { z } from 'zod';
import type { MessageKind, TranslationRequestStatus } from '../../db/schema.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { Audience } from './audience.ts';

/**
 * A translation written by a volunteer parent (volunteering's "Translating for the school"), as plain
 * rules. A volunteer is a carer, not staff: they may only be sent a message that names no pupil, and
 * they see its English words and nothing else (never who receives it or who read it).
 */

export type PupilName = { given_name: string; preferred_name: string | null; family_name: string };

/** Words that would be a whole name in the text (letters either side do not count). */
function names(text: string, name: string): boolean {
  const escaped = name.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (escaped.length < 2) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

/**
 * Why this message may not go to a volunteer, or null when it may. Praise and individual messages
 * are about chosen pupils; so is any message for chosen pupils' families; and a message whose words
 * name one of the school's pupils (a first name as written, with its capital, or a full name in any case)
 * would tell a volunteer about a child.
 */
export function volunteerRefusal(message: { kind: MessageKind; audience_json: string; subject: string; body: string }, pupils: readonly PupilName[]): string | null {
  if (message.kind === 'praise' || message.kind === 'individual')
    return 'Praise and individual messages are about chosen pupils, so they cannot go to a volunteer. Ask a member of staff who reads the language.';
  const audience = Audience.safeParse(JSON.parse(message.audience_json));
  if (!audience.success || audience.data.kind === 'pupils') return 'This message goes to chosen pupils’ families, so it cannot go to a volunteer. Ask a member of staff who reads the language.';
  const text = `${message.subject}\n${message.body}`;
  const lower = text.toLowerCase();
  for (const p of pupils) {
    for (const first of new Set([p.given_name, p.preferred_name].filter((n): n is string => !!n && n.trim() !== ''))) {
      const full = `${first.trim()} ${p.family_name.trim()}`;
      if (names(lower, full.toLowerCase()) || names(text, first))
        return `This message names a pupil (“${first.trim()}”), so it cannot go to a volunteer. Take the name out, or ask a member of staff who reads the language.`;
    }
  }
  return null;
}

/** Where a volunteer's request stands, for their page: what they may do, or why it takes nothing now. */
export type VolunteerPageState = 'open' | 'sent' | 'checked' | 'declined' | 'cancelled' | 'taken';

export function volunteerPageState(
  r: { status: TranslationRequestStatus; carer_id: string },
  message: { status: 'draft' | 'scheduled' | 'sent' },
  translation: { status: 'requested' | 'written' | 'checked'; written_by_carer: string | null; body: string } | null | undefined,
  stillOffered: boolean,
): VolunteerPageState {
  if (message.status === 'sent') return 'sent';
  if (translation?.status === 'checked') return 'checked';
  if (r.status === 'declined') return 'declined';
  if (r.status === 'cancelled' || !stillOffered) return 'cancelled';
  // Someone else (a member of staff, or a machine) has written it since the volunteer was asked.
  if (translation && translation.status === 'written' && translation.body.trim() !== '' && translation.written_by_carer !== r.carer_id) return 'taken';
  return 'open';
}

/** The volunteer's form, with its errors in their language. */
export function volunteerTranslationForm(t: Text = english) {
  return z.object({
    subject: z
      .string({ error: t('messages.volunteer.error.subject') })
      .trim()
      .min(1, t('messages.volunteer.error.subject'))
      .max(150, t('messages.volunteer.error.subjectLong')),
    body: z
      .string({ error: t('messages.volunteer.error.body') })
      .trim()
      .min(1, t('messages.volunteer.error.body'))
      .max(20_000, t('messages.volunteer.error.bodyLong')),
  });
}
