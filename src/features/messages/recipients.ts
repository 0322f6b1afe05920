import type { MessageKind, MobileOnlyLetters } from '../../db/schema.ts';
import { firstContactsHear, mayHear, type HearLink, type HearPurpose, type RestrictionInForce } from '../../platform/access/hear.ts';

/**
 * Who receives a message, and how: worked out from the family links, as plain data.
 * Who may hear about each child is the one rule in platform/access/hear.ts (mayHear), for the
 * message's purpose (purposeOf):
 * - never a person with a restriction in force for that child that stops information, or one who
 *   may not receive information;
 * - letters and newsletters go to the carers the child lives with, and a copy to a carer who lives
 *   apart and asked for copies. Urgent notices, praise and individual messages go to every carer
 *   allowed to receive information.
 * - A carer with several children in the audience gets one copy naming each child.
 * - Urgent notices go by text to everyone with a mobile, whatever their preferences. Paper for carers
 *   who asked for it or have no email and no mobile.
 * - Newsletters, letters and individual messages to a carer with a mobile but no email go as the school
 *   chose (schools.mobile_only_letters): on paper, or a text with a short link to read it in Gatepost.
 *   Nothing else goes by text.
 */
export type Channel = 'app' | 'email' | 'sms' | 'paper';

export type AudiencePupil = { id: string; given_name: string; preferred_name: string | null; family_name: string };
/** A carer's link to a child in the audience, with the restrictions in force between them. */
export type FamilyLink = { pupilId: string; carerId: string; contactPriority: number; link: HearLink; restrictions: RestrictionInForce[] };
export type CarerContact = {
  id: string;
  given_name: string;
  family_name: string;
  email: string | null;
  mobile: string | null;
  preferred_language: string;
  channel_email: number;
  channel_app: number;
  paper_copies: number;
};

/** `mobileOnly`: a newsletter, letter or individual message to a carer with a mobile but no email (reached as the school chose). */
export type Recipient = { carerId: string; pupils: { id: string; name: string }[]; channels: Channel[]; language: string; email: string | null; mobile: string | null; mobileOnly: boolean };
/** `purpose`: who may hear, when it is not the kind's own (a survey invitation goes as a letter does, to every carer who may hear for a survey). */
export type RecipientOptions = { mobileOnlyLetters: MobileOnlyLetters; purpose?: HearPurpose };
const PAPER_UNLESS_CHOSEN: RecipientOptions = { mobileOnlyLetters: 'paper' };
export type LeftOutReason = 'restriction' | 'no_information' | 'lives_apart' | 'no_urgent_contact';
export type LeftOut = { carerId: string; carerName: string; pupilName: string | null; reason: LeftOutReason };

export const LEFT_OUT_WORDS: Record<LeftOutReason, string> = {
  restriction: 'a restriction is in force',
  no_information: 'may not receive information',
  lives_apart: 'lives apart and has not asked for copies',
  no_urgent_contact: 'no mobile or email: phone or visit instead',
};

/** The same words for a number of people ("18 live apart and have not asked for copies"). */
const LEFT_OUT_MANY: Record<LeftOutReason, string> = {
  restriction: 'have a restriction in force',
  no_information: 'may not receive information',
  lives_apart: 'live apart and have not asked for copies',
  no_urgent_contact: 'have no mobile or email',
};

/** Those left out of a message, as the preview shows them before it is sent. */
export type LeftOutShown<T extends LeftOut = LeftOut> = {
  /** Everyone left out. */
  total: number;
  /** Named one by one, always in view: a restriction to be sure of, someone to phone or visit. */
  named: T[];
  /** As the records say they should be (lives apart without asking for copies, may not receive information): a count, with the names a click away. */
  routine: { reason: LeftOutReason; summary: string; people: T[] }[];
};

const ROUTINE: LeftOutReason[] = ['lives_apart', 'no_information'];

/**
 * A whole-school newsletter leaves out dozens of carers who live apart without asking for copies; listed
 * one by one they pushed the clear-language advice and the Send button a phone's length down the page.
 * So the everyday reasons become a count each, and only those a sender must act on or be sure of are named.
 */
export function leftOutShown<T extends LeftOut>(leftOut: T[]): LeftOutShown<T> {
  const routine = ROUTINE.map((reason) => {
    const people = leftOut.filter((l) => l.reason === reason);
    return { reason, summary: `${people.length} ${people.length === 1 ? LEFT_OUT_WORDS[reason] : LEFT_OUT_MANY[reason]}`, people };
  }).filter((g) => g.people.length > 0);
  return { total: leftOut.length, named: leftOut.filter((l) => !ROUTINE.includes(l.reason)), routine };
}

/** What a message of this kind is, to the rule of who may hear about a child. */
export function purposeOf(kind: MessageKind): HearPurpose {
  switch (kind) {
    case 'newsletter':
    case 'class_newsletter':
      return 'newsletter';
    case 'letter':
      return 'letter';
    case 'urgent':
      return 'urgent';
    case 'praise':
      return 'praise';
    case 'individual':
      return 'individual';
  }
}

export function pupilName(p: AudiencePupil): string {
  return p.preferred_name ?? p.given_name;
}

/** "Kuba", "Kuba and Ola", "Kuba, Ola and Ayaan" */
export function namesTogether(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Newsletters and letters: what a carer with a mobile but no email must be reached by (paper or a text with a link). */
export function isLetterLike(kind: MessageKind): boolean {
  return kind === 'newsletter' || kind === 'class_newsletter' || kind === 'letter';
}

/**
 * What reaches a carer with a mobile but no email as the school chose (paper, or a text with a link):
 * newsletters and letters, and individual messages (one child's news, such as their attendance), which
 * otherwise waited in Gatepost for a carer with no email to sign in with.
 */
export function reachesMobileOnlyAsChosen(kind: MessageKind): boolean {
  return isLetterLike(kind) || kind === 'individual';
}

/** A newsletter, letter or individual message to a carer with a mobile but no email, who has not asked for paper anyway. */
export function reachedAsMobileOnly(kind: MessageKind, c: CarerContact): boolean {
  return reachesMobileOnlyAsChosen(kind) && !c.email && !!c.mobile && !c.paper_copies;
}

export function channelsFor(kind: MessageKind, c: CarerContact, options: RecipientOptions = PAPER_UNLESS_CHOSEN): Channel[] {
  const channels: Channel[] = [];
  const mobileOnly = reachedAsMobileOnly(kind, c);
  if (c.channel_app) channels.push('app');
  if (c.email && (c.channel_email || kind === 'urgent')) channels.push('email');
  if ((kind === 'urgent' && c.mobile) || (mobileOnly && options.mobileOnlyLetters === 'text')) channels.push('sms');
  if (kind !== 'urgent' && (c.paper_copies || (!c.email && !c.mobile) || (mobileOnly && options.mobileOnlyLetters === 'paper'))) channels.push('paper');
  if (channels.length === 0) channels.push('app');
  return channels;
}

function recipientOf(kind: MessageKind, carer: CarerContact, pupils: { id: string; name: string }[], options: RecipientOptions): Recipient {
  return {
    carerId: carer.id,
    pupils,
    channels: channelsFor(kind, carer, options),
    language: carer.preferred_language,
    email: carer.email,
    mobile: carer.mobile,
    mobileOnly: reachedAsMobileOnly(kind, carer),
  };
}

export function resolveRecipients(
  kind: MessageKind,
  pupils: AudiencePupil[],
  links: FamilyLink[],
  carers: Map<string, CarerContact>,
  options: RecipientOptions = PAPER_UNLESS_CHOSEN,
): { recipients: Recipient[]; leftOut: LeftOut[] } {
  const byCarer = new Map<string, Recipient>();
  const leftOut: LeftOut[] = [];
  const linksByPupil = new Map<string, FamilyLink[]>();
  for (const l of links) linksByPupil.set(l.pupilId, [...(linksByPupil.get(l.pupilId) ?? []), l]);
  const purpose = options.purpose ?? purposeOf(kind);
  const nameOf = (id: string) => {
    const c = carers.get(id);
    return c ? `${c.given_name} ${c.family_name}` : 'Unknown';
  };

  for (const pupil of pupils) {
    const family = (linksByPupil.get(pupil.id) ?? []).filter((l) => carers.has(l.carerId));
    // Nobody who may hear is recorded as living with the child: the first contact(s) still hear.
    const answers = firstContactsHear(family.map((l) => ({ ...l, decision: mayHear(l.link, l.restrictions, purpose) })));
    for (const a of answers) if (!a.decision.may) leftOut.push({ carerId: a.carerId, carerName: nameOf(a.carerId), pupilName: pupilName(pupil), reason: a.decision.reason });
    const chosen = answers.filter((a) => a.decision.may);
    for (const l of chosen) {
      const carer = carers.get(l.carerId)!;
      const existing = byCarer.get(carer.id);
      if (existing) existing.pupils.push({ id: pupil.id, name: pupilName(pupil) });
      else byCarer.set(carer.id, recipientOf(kind, carer, [{ id: pupil.id, name: pupilName(pupil) }], options));
    }
  }

  if (kind === 'urgent') {
    for (const r of byCarer.values()) {
      const c = carers.get(r.carerId)!;
      if (!c.mobile && !c.email) leftOut.push({ carerId: c.id, carerName: nameOf(c.id), pupilName: null, reason: 'no_urgent_contact' });
    }
  }
  // A carer left out for one child but receiving for another is not "left out" of the message.
  const reached = new Set(byCarer.keys());
  return {
    recipients: [...byCarer.values()],
    leftOut: leftOut.filter((l) => l.reason === 'no_urgent_contact' || !reached.has(l.carerId) || l.reason === 'restriction'),
  };
}

/** Carers picked directly (a custom group such as the PTA): no child named. */
export function resolveGroup(kind: MessageKind, members: CarerContact[], options: RecipientOptions = PAPER_UNLESS_CHOSEN): Recipient[] {
  return members.map((c) => recipientOf(kind, c, [], options));
}

/** How many carers on each channel: shown before sending. */
export function channelCounts(recipients: Recipient[]): Record<Channel, number> {
  const counts: Record<Channel, number> = { app: 0, email: 0, sms: 0, paper: 0 };
  for (const r of recipients) for (const ch of r.channels) counts[ch] += 1;
  return counts;
}

/** How one carer will get a message, as one route: Gatepost is left out when something else goes too. */
export type Way = 'email' | 'email_text' | 'email_paper' | 'text_only' | 'text_link' | 'paper_only' | 'app_only';

const WAY_ORDER: Way[] = ['email', 'email_text', 'email_paper', 'text_link', 'text_only', 'paper_only', 'app_only'];
export const WAY_WORDS: Record<Way, string> = {
  email: 'by email',
  email_text: 'by email and text',
  email_paper: 'by email and a paper copy',
  text_link: 'by text with a link',
  text_only: 'by text only',
  paper_only: 'on paper only',
  app_only: 'in Gatepost only',
};

export function wayOf(channels: Channel[], kind: MessageKind): Way {
  const has = (c: Channel) => channels.includes(c);
  if (has('email')) return has('sms') ? 'email_text' : has('paper') ? 'email_paper' : 'email';
  if (has('sms')) return kind === 'urgent' ? 'text_only' : 'text_link';
  if (has('paper')) return 'paper_only';
  return 'app_only';
}

/**
 * How many carers will get it each way, each carer counted once, so the counts add up to the number of
 * carers (channelCounts counts a carer once per channel: someone by email and text is in both, and
 * nearly everyone is "in Gatepost" too, so its figures add up to more than the carers and were read
 * as if they did). The ways nobody takes are left out.
 */
export function waysOfGetting(recipients: Pick<Recipient, 'channels'>[], kind: MessageKind): { way: Way; count: number; words: string }[] {
  const counts = new Map<Way, number>();
  for (const r of recipients) {
    const way = wayOf(r.channels, kind);
    counts.set(way, (counts.get(way) ?? 0) + 1);
  }
  return WAY_ORDER.filter((w) => counts.has(w)).map((way) => ({ way, count: counts.get(way)!, words: WAY_WORDS[way] }));
}
