import { z } from 'zod';
import type { MessageKind, YearGroup } from '../../db/schema.ts';
import { YEAR_GROUPS, YEAR_GROUP_LABELS } from '../people/index.ts';

/** Who a message is for. Stored as JSON on the message and validated on the way in and out. */
export const Audience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('school') }),
  z.object({ kind: z.literal('years'), years: z.array(z.enum(YEAR_GROUPS as [YearGroup, ...YearGroup[]])).min(1, 'Select at least one year group') }),
  z.object({ kind: z.literal('classes'), classIds: z.array(z.string().min(1)).min(1, 'Select at least one class') }),
  z.object({ kind: z.literal('group'), groupId: z.string().min(1, 'Select a group') }),
  z.object({ kind: z.literal('pupils'), pupilIds: z.array(z.string().min(1)).min(1, 'Select at least one pupil') }),
]);
export type Audience = z.infer<typeof Audience>;

/** The audience a form's fields describe (audience_kind with its years, classes, group or pupils), checked. */
export function audienceFromForm(v: { audience_kind?: string; years?: string[]; class_ids?: string[]; group_id?: string | undefined; pupil_ids?: string[] }) {
  const raw =
    v.audience_kind === 'years'
      ? { kind: 'years', years: (v.years ?? []).filter((y): y is YearGroup => (YEAR_GROUPS as string[]).includes(y)) }
      : v.audience_kind === 'classes'
        ? { kind: 'classes', classIds: v.class_ids ?? [] }
        : v.audience_kind === 'group'
          ? { kind: 'group', groupId: v.group_id ?? '' }
          : v.audience_kind === 'pupils'
            ? { kind: 'pupils', pupilIds: v.pupil_ids ?? [] }
            : { kind: 'school' };
  return Audience.safeParse(raw);
}

export const KIND_LABELS: Record<MessageKind, string> = {
  newsletter: "Head's newsletter",
  class_newsletter: 'Class learning newsletter',
  letter: 'Letter about an event or trip',
  urgent: 'Urgent notice (for example, a closure)',
  praise: 'Praise or good news',
  individual: 'Individual message',
};

/** What a carer sees a message called: the school's words for them, not the choices staff pick from. */
export const CARER_KIND_LABELS: Record<MessageKind, string> = {
  newsletter: 'Newsletter',
  class_newsletter: 'Class newsletter',
  letter: 'Letter',
  urgent: 'Urgent',
  praise: 'Good news',
  individual: 'Message',
};

/** Which audiences make sense for a kind: praise and individual messages are about chosen pupils. */
export function audienceFits(kind: MessageKind, audience: Audience): string | null {
  if ((kind === 'praise' || kind === 'individual') && audience.kind !== 'pupils') return 'Praise and individual messages go to the families of pupils you choose';
  if (kind === 'class_newsletter' && audience.kind !== 'classes') return 'A class newsletter goes to one or more classes';
  return null;
}

/**
 * Who an audience is, for a page: the school's own words ("The whole school", "Year 3, Year 4"), or the
 * names people gave classes, a group or pupils. Names may be in any script, so a page isolates each one
 * (views/audience.njk draws it). `afterLabel` for words that follow a label mid-line ("Families: the whole
 * school"): the words that are not names start in lower case; names never change.
 */
export type AudienceWords = { words: string } | { names: string[] };

export function describeAudience(audience: Audience, names: { classes: Map<string, string>; groups: Map<string, string>; pupils: Map<string, string> }, { afterLabel = false } = {}): AudienceWords {
  switch (audience.kind) {
    case 'school':
      return { words: afterLabel ? 'the whole school' : 'The whole school' };
    case 'years':
      return { words: audience.years.map((y) => YEAR_GROUP_LABELS[y]).join(', ') };
    case 'classes':
      return { names: audience.classIds.map((id) => names.classes.get(id) ?? 'a class') };
    case 'group':
      return names.groups.has(audience.groupId) ? { names: [names.groups.get(audience.groupId)!] } : { words: afterLabel ? 'a group' : 'A group' };
    case 'pupils':
      return { names: audience.pupilIds.map((id) => names.pupils.get(id) ?? 'a pupil') };
  }
}
