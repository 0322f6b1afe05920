import type { PupilTable, SendStatus, YearGroup } from '../../db/schema.ts';
import { YEAR_GROUP_LABELS, yearOrder } from './validation.ts';

/**
 * Groups of families, for measuring how far the school's work reaches across all of them (DOMAIN:
 * engaging only some parents widens gaps): year group, language, SEND and EAL. One rule for every
 * figure "by group" (a message read, a parents' evening booked).
 */
export type ChildFacts = { yearGroup: YearGroup; send: SendStatus; eal: boolean };
export type GroupKind = 'all' | 'year' | 'language' | 'send' | 'eal';
/** `of`: members in the group; `counted`: those of them who did it; `share`: a whole percentage. */
export type GroupShare = { group: string; kind: GroupKind; of: number; counted: number; share: number | null };

/** One family (or pupil): the children it is about, its language (null: not known), and whether it did it. */
export type GroupMember = { children: readonly ChildFacts[]; language: string | null; counted: boolean };

/**
 * For each group, how many members are in it and how many of them did it. A member counts once in
 * "all" (`labels.all`), in each year group of its children, in its language (`labels.language`), and
 * in SEND and EAL when one of its children is. Rows: all, year groups in school order, English then the
 * other languages A to Z, SEND, EAL; groups with no member have no row.
 */
export function shareByGroup(members: Iterable<GroupMember>, labels: { all: string; language: (language: string) => string }): GroupShare[] {
  const groups = new Map<string, { kind: GroupKind; order: string; of: number; counted: number }>();
  const add = (kind: GroupKind, group: string, order: string, counted: boolean) => {
    const g = groups.get(group) ?? { kind, order, of: 0, counted: 0 };
    g.of += 1;
    if (counted) g.counted += 1;
    groups.set(group, g);
  };
  for (const m of members) {
    add('all', labels.all, '0', m.counted);
    for (const year of new Set(m.children.map((c) => c.yearGroup))) add('year', YEAR_GROUP_LABELS[year], `1:${String(yearOrder(year)).padStart(2, '0')}`, m.counted);
    if (m.language) add('language', labels.language(m.language), `2:${m.language === 'English' ? '' : m.language}`, m.counted);
    if (m.children.some((c) => c.send !== 'none')) add('send', 'SEND (SEN support or EHCP)', '3', m.counted);
    if (m.children.some((c) => c.eal)) add('eal', 'English as an additional language', '4', m.counted);
  }
  return [...groups.entries()]
    .sort((a, b) => a[1].order.localeCompare(b[1].order))
    .map(([group, g]) => ({ group, kind: g.kind, of: g.of, counted: g.counted, share: g.of ? Math.round((g.counted / g.of) * 100) : null }));
}

/**
 * A pupil as a member of the groups, from their record: their home language, or English when none is
 * recorded and they are not learning English as an additional language (else not known).
 */
export function pupilMember(p: Pick<PupilTable, 'year_group' | 'send_status' | 'home_language'> & { eal: number }, counted: boolean): GroupMember {
  return {
    children: [{ yearGroup: p.year_group, send: p.send_status, eal: p.eal === 1 }],
    language: p.home_language ?? (p.eal === 1 ? null : 'English'),
    counted,
  };
}

/** The labels for groups of pupils ("Home language: Polish"). */
export const PUPIL_GROUP_LABELS = { all: 'All pupils', language: (l: string) => `Home language: ${l}` };
