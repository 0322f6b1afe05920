import { describe, expect, it } from 'vitest';
import type { EvidenceCounts } from './evidence-queries.ts';
import { eveningsByGroup, evidenceSections, percent, share, type ConcernFigures } from './evidence.ts';

const counts = (over: Partial<{ [K in keyof EvidenceCounts]: Partial<EvidenceCounts[K]> }> = {}): EvidenceCounts => ({
  messages: { sent: 0, carersSent: 0, carersRead: 0, otherLanguage: 0, otherLanguageInIt: 0, ...over.messages },
  evenings: { held: 0, pupilsInvited: 0, pupilsBooked: 0, ...over.evenings },
  meetings: { held: 0, followedUp: 0, actionsDue: 0, actionsDoneInTime: 0, difficult: 0, difficultPlanned: 0, ...over.meetings },
  listening: { surveys: 0, invited: 0, answered: 0, followUps: [], consultations: 0, youSaidWeDid: 0, comments: 0, ...over.listening },
  agreements: { hasAgreement: true, pupils: 0, carerSigned: 0, pupilSigned: 0, profiles: 0, profilesWithFamilyWords: 0, profilesReviewed: 0, ...over.agreements },
  belonging: { events: 0, familiesCame: 0, firstTime: 0, buddies: 0, volunteersApproved: 0, ...over.belonging },
});
const concerns: ConcernFigures = { takenOnInTime: '–', answeredInTime: '–', acknowledgeDays: 5, respondDays: 15, complaints: '0', upheld: '0', partlyUpheld: '0' };
const figure = (sections: ReturnType<typeof evidenceSections>, label: string) => sections.flatMap((s) => s.figures).find((f) => f.label === label)?.values;

describe('how well we work with families: the figures', () => {
  it('a share says how many of how many, and never rounds to 100% with one missing or to 0% with one there', () => {
    expect(share(324, 344, true)).toBe('324 of 344 (94%)');
    expect(share(999, 1000, true)).toBe('999 of 1000 (99%)');
    expect(share(1, 1000, true)).toBe('1 of 1000 (1%)');
    expect(share(0, 0, true)).toBe('–');
    expect(percent(3, 3)).toBe(100);
  });

  it('outside the case team a share never lets 1 to 4 families be worked out, from the figure or from what is left', () => {
    expect(share(3, 40, false)).toBe('fewer than 5 of 40');
    expect(share(38, 40, false)).toBe('all but fewer than 5 of 40');
    expect(share(2, 3, false)).toBe('fewer than 5 in all');
    expect(share(0, 40, false)).toBe('0 of 40 (0%)');
    expect(share(40, 40, false)).toBe('40 of 40 (100%)');
    expect(share(20, 40, false)).toBe('20 of 40 (50%)');
  });

  it('governors see difficult meetings hidden when few, but counts that name nobody as they are', () => {
    const year = counts({ messages: { sent: 3, carersSent: 40, carersRead: 38 }, meetings: { held: 2, followedUp: 1, difficult: 2, difficultPlanned: 1 } });
    const governor = evidenceSections([{ counts: year, concerns }], false);
    expect(figure(governor, 'Messages sent')).toEqual(['3']);
    expect(figure(governor, 'Carers who read at least one')).toEqual(['38 of 40 (95%)']);
    expect(figure(governor, 'Followed up in writing, with actions and a date')).toEqual(['1 of 2 (50%)']);
    expect(figure(governor, 'Meetings marked possibly difficult')).toEqual(['fewer than 5']);
    expect(figure(governor, 'With a safety plan: a colleague named, a clear way out, the head told')).toEqual(['fewer than 5 in all']);
    const head = evidenceSections([{ counts: year, concerns }], true);
    expect(figure(head, 'Meetings marked possibly difficult')).toEqual(['2']);
    expect(figure(head, 'With a safety plan: a colleague named, a clear way out, the head told')).toEqual(['1 of 2 (50%)']);
  });

  it('two school years side by side: each figure has a value per year, and the before-and-after links of both', () => {
    const last = counts({ messages: { sent: 10 }, listening: { followUps: [{ id: 's1', title: 'June' }] }, agreements: { hasAgreement: false } });
    const now = counts({ messages: { sent: 42 }, agreements: { pupils: 200, carerSigned: 150 } });
    const sections = evidenceSections(
      [
        { counts: last, concerns },
        { counts: now, concerns: { ...concerns, complaints: '3' } },
      ],
      true,
    );
    expect(figure(sections, 'Messages sent')).toEqual(['10', '42']);
    expect(figure(sections, 'Formal complaints')).toEqual(['0', '3']);
    expect(figure(sections, 'Pupils whose family signed the home-school agreement')).toEqual(['–', '150 of 200 (75%)']);
    expect(sections.find((s) => s.id === 'listening')!.links.map((l) => l.href)).toContain('/surveys/s1/comparison');
    for (const s of sections) for (const f of s.figures) expect(f.values, f.label).toHaveLength(2);
  });

  it('parents’ evenings by group of pupils: the head sees every share; a governor sees no share that points at 1 to 4 families', () => {
    const pupil = (year_group: '3' | '4', booked: boolean, over: { send_status?: 'none' | 'ehcp'; eal?: number; home_language?: string | null } = {}) => ({
      year_group,
      send_status: over.send_status ?? ('none' as const),
      eal: over.eal ?? 0,
      home_language: over.home_language ?? null,
      booked: booked ? 1 : 0,
    });
    // Year 3: 20 pupils, 18 booked; Year 4: 10 pupils, 4 booked, 3 of them Polish-speaking (one booked), 2 with an EHCP (neither booked).
    const pupils = [
      ...Array.from({ length: 20 }, (_, i) => pupil('3', i < 18)),
      ...Array.from({ length: 3 }, (_, i) => pupil('4', i === 0, { eal: 1, home_language: 'Polish' })),
      ...Array.from({ length: 2 }, () => pupil('4', false, { send_status: 'ehcp' })),
      ...Array.from({ length: 5 }, (_, i) => pupil('4', i < 3)),
    ];
    expect(eveningsByGroup(pupils, true).map((g) => [g.group, g.pupils, g.booked])).toEqual([
      ['All pupils', '30', '22 of 30 (73%)'],
      ['Year 3', '20', '18 of 20 (90%)'],
      ['Year 4', '10', '4 of 10 (40%)'],
      ['Home language: English', '27', '21 of 27 (78%)'],
      ['Home language: Polish', '3', '1 of 3 (33%)'],
      ['SEND (SEN support or EHCP)', '2', '0 of 2 (0%)'],
      ['English as an additional language', '3', '1 of 3 (33%)'],
    ]);
    const governor = new Map(eveningsByGroup(pupils, false).map((g) => [g.group, g.booked]));
    expect(governor.get('Year 3')).toBe('all but fewer than 5 of 20');
    expect(governor.get('Year 4')).toBe('fewer than 5 of 10');
    expect(governor.get('Home language: Polish')).toBe('fewer than 5 in all');
  });
});
