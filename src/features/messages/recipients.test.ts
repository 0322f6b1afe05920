import { describe, expect, it } from 'vitest';
import { channelCounts, namesTogether, resolveRecipients, type CarerContact, type FamilyLink, type AudiencePupil } from './recipients.ts';

const pupil = (id: string, given: string, preferred: string | null = null): AudiencePupil => ({ id, given_name: given, preferred_name: preferred, family_name: 'X' });
const carer = (id: string, o: Partial<CarerContact> = {}): CarerContact => ({
  id,
  given_name: id,
  family_name: 'X',
  email: `${id}@families.test`,
  mobile: '07700900000',
  preferred_language: 'English',
  channel_email: 1,
  channel_app: 1,
  paper_copies: 0,
  ...o,
});
type LinkOptions = { may_receive_information: number; lives_with_pupil: number; wants_copies: number; contact_priority: number; restricted: boolean };
const link = (pupilId: string, carerId: string, given: Partial<LinkOptions> = {}): FamilyLink => {
  const o: LinkOptions = { may_receive_information: 1, lives_with_pupil: 1, wants_copies: 0, contact_priority: 1, restricted: false, ...given };
  return {
    pupilId,
    carerId,
    contactPriority: o.contact_priority,
    link: { relationship: 'other', parentalResponsibility: true, livesWith: o.lives_with_pupil === 1, mayReceiveInformation: o.may_receive_information === 1, wantsCopies: o.wants_copies === 1 },
    restrictions: o.restricted ? [{ information: true, contact: true, collection: true }] : [],
  };
};

const pupils = [pupil('kuba', 'Jakub', 'Kuba'), pupil('ola', 'Aleksandra', 'Ola'), pupil('lily', 'Lily'), pupil('sam', 'Sam'), pupil('ayaan', 'Ayaan')];
const carers = new Map(
  [
    carer('marta', { preferred_language: 'Polish' }),
    carer('tomasz'),
    carer('mark'),
    carer('sarah'),
    carer('dad-of-sam'),
    carer('mum-of-sam'),
    carer('faduma', { email: null, mobile: '07700900005', channel_email: 0, paper_copies: 1, preferred_language: 'Somali' }),
    carer('neighbour'),
  ].map((c) => [c.id, c]),
);
const links = [
  link('kuba', 'marta'),
  link('ola', 'marta'),
  link('kuba', 'tomasz', { lives_with_pupil: 0, wants_copies: 1, contact_priority: 2 }),
  link('ola', 'tomasz', { lives_with_pupil: 0, wants_copies: 1, contact_priority: 2 }),
  link('lily', 'sarah'),
  link('lily', 'mark', { lives_with_pupil: 0, restricted: true, contact_priority: 2 }),
  link('sam', 'mum-of-sam'),
  link('sam', 'dad-of-sam', { lives_with_pupil: 0, contact_priority: 2 }),
  link('ayaan', 'faduma'),
  link('ayaan', 'neighbour', { may_receive_information: 0, lives_with_pupil: 0, contact_priority: 3 }),
];

describe('who receives a message', () => {
  it('sends a newsletter once to a carer of two children, naming both, and a copy to the parent who lives apart and asked', () => {
    const { recipients } = resolveRecipients('newsletter', pupils, links, carers);
    const marta = recipients.find((r) => r.carerId === 'marta')!;
    expect(marta.pupils.map((p) => p.name)).toEqual(['Kuba', 'Ola']);
    expect(marta.language).toBe('Polish');
    expect(recipients.filter((r) => r.carerId === 'marta')).toHaveLength(1);
    expect(recipients.find((r) => r.carerId === 'tomasz')?.pupils.map((p) => p.name)).toEqual(['Kuba', 'Ola']);
  });

  it('never sends anything to a person with a restriction, and says why they are left out', () => {
    for (const kind of ['newsletter', 'urgent', 'praise', 'letter'] as const) {
      const { recipients, leftOut } = resolveRecipients(kind, pupils, links, carers);
      expect(recipients.map((r) => r.carerId)).not.toContain('mark');
      expect(leftOut).toContainEqual({ carerId: 'mark', carerName: 'mark X', pupilName: 'Lily', reason: 'restriction' });
    }
  });

  it('leaves out a contact who may not receive information, and a parent apart who did not ask for copies — except for praise', () => {
    const letter = resolveRecipients('letter', pupils, links, carers);
    expect(letter.recipients.map((r) => r.carerId)).not.toContain('neighbour');
    expect(letter.recipients.map((r) => r.carerId)).not.toContain('dad-of-sam');
    expect(letter.leftOut.map((l) => `${l.carerId}:${l.reason}`)).toEqual(expect.arrayContaining(['neighbour:no_information', 'dad-of-sam:lives_apart']));
    const praise = resolveRecipients('praise', [pupils[3]!], links, carers);
    expect(praise.recipients.map((r) => r.carerId).sort()).toEqual(['dad-of-sam', 'mum-of-sam']);
  });

  it('texts only urgent notices, to everyone with a mobile whatever their preferences; paper for those who need it', () => {
    const news = resolveRecipients('newsletter', pupils, links, carers).recipients;
    expect(news.flatMap((r) => r.channels)).not.toContain('sms');
    expect(news.find((r) => r.carerId === 'faduma')?.channels).toEqual(['app', 'paper']);
    const urgent = resolveRecipients('urgent', pupils, links, carers).recipients;
    expect(urgent.every((r) => r.channels.includes('sms'))).toBe(true);
    expect(urgent.map((r) => r.carerId)).toContain('dad-of-sam');
    expect(channelCounts(urgent).sms).toBe(urgent.length);
  });

  it('reaches a carer with a mobile but no email as the school chose for an individual message too, as for a letter; never praise by text', () => {
    const mobileOnly = new Map(carers);
    mobileOnly.set('faduma', { ...carers.get('faduma')!, paper_copies: 0 });
    const ayaan = [pupils[4]!];
    const channelsOf = (kind: 'individual' | 'letter' | 'praise', choice: 'paper' | 'text') =>
      resolveRecipients(kind, ayaan, links, mobileOnly, { mobileOnlyLetters: choice }).recipients.find((r) => r.carerId === 'faduma')!;
    expect(channelsOf('individual', 'text').channels).toEqual(['app', 'sms']);
    expect(channelsOf('individual', 'text').mobileOnly).toBe(true);
    expect(channelsOf('individual', 'paper').channels).toEqual(['app', 'paper']);
    expect(channelsOf('letter', 'text').channels).toEqual(['app', 'sms']);
    expect(channelsOf('praise', 'text').channels).toEqual(['app']);
    // A carer who asked for paper gets paper, whatever the school chose; one with an email gets email.
    expect(resolveRecipients('individual', ayaan, links, carers, { mobileOnlyLetters: 'text' }).recipients.find((r) => r.carerId === 'faduma')!.channels).toEqual(['app', 'paper']);
    expect(resolveRecipients('individual', [pupils[0]!], links, carers, { mobileOnlyLetters: 'text' }).recipients.find((r) => r.carerId === 'marta')!.channels).toEqual(['app', 'email']);
  });

  it('names children the way people say them', () => {
    expect(namesTogether(['Kuba'])).toBe('Kuba');
    expect(namesTogether(['Kuba', 'Ola'])).toBe('Kuba and Ola');
    expect(namesTogether(['Kuba', 'Ola', 'Ayaan'])).toBe('Kuba, Ola and Ayaan');
  });
});
