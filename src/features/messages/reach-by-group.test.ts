import { describe, expect, it } from 'vitest';
import { readByGroup, type ChildFacts } from './reach.ts';

/**
 * Who read a message, by group of families: each carer who got it online counts once in "all", in
 * each year group of the children it was about, in their language, and in SEND and EAL when one of
 * those children is; paper-only and text-only carers are left out, as from "Read".
 */
describe('who read it, by group of families', () => {
  const children = new Map<string, ChildFacts>([
    ['kuba', { yearGroup: '3', send: 'none', eal: true }],
    ['ola', { yearGroup: 'R', send: 'sen_support', eal: true }],
    ['lily', { yearGroup: '3', send: 'none', eal: false }],
    ['ayaan', { yearGroup: 'N', send: 'none', eal: true }],
  ]);
  const recipients = [
    { channels: 'app,email', pupil_ids: 'kuba,ola', language: 'Polish', read_at: '2026-12-01T10:00:00.000Z' }, // Marta
    { channels: 'app,email', pupil_ids: 'kuba,ola', language: 'English', read_at: null }, // Tomasz
    { channels: 'app,email', pupil_ids: 'lily', language: 'English', read_at: '2026-12-01T11:00:00.000Z' }, // Sarah
    { channels: 'app,paper', pupil_ids: 'ayaan', language: 'Somali', read_at: null }, // Faduma: paper only
  ];

  it('counts each family once in each of its groups, out of those who got it online', () => {
    const rows = readByGroup(recipients, children, 'newsletter');
    expect(rows.map((r) => [r.group, r.online, r.read, r.share])).toEqual([
      ['All families who got it online', 3, 2, 67],
      ['Reception', 2, 1, 50],
      ['Year 3', 3, 2, 67],
      ['Speaks English', 2, 1, 50],
      ['Speaks Polish', 1, 1, 100],
      ['SEND (SEN support or EHCP)', 2, 1, 50],
      ['English as an additional language', 2, 1, 50],
    ]);
  });

  it('leaves out a family it reached only on paper, so Nursery and Somali have no row', () => {
    const groups = readByGroup(recipients, children, 'newsletter').map((r) => r.group);
    expect(groups).not.toContain('Nursery');
    expect(groups).not.toContain('Speaks Somali');
  });
});
