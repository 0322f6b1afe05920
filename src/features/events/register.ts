import { z } from 'zod';
import type { YearGroup } from '../../db/schema.ts';
import { YEAR_GROUP_LABELS } from '../people/index.ts';

/**
 * Finding a family on a session's register at the door: a name typed (any part of it, in any case,
 * with or without accents: "wojcik" finds Wójcik), the carer's or one of their children's ("I'm
 * Kuba's mum": "kuba" finds Marta Nowak), and which families to show. Plain functions over the
 * rows the register already has; the page is a GET form, so it works without JavaScript and the
 * address keeps what was typed (back, refresh, a second phone).
 */
export const REGISTER_SHOWS = {
  all: 'Everyone',
  yes: 'Said yes to this time',
  unmarked: 'Not ticked yet',
  first: 'First time',
} as const;
export type RegisterShow = keyof typeof REGISTER_SHOWS;
export type RegisterFilter = { q: string; who: RegisterShow };

/** The longest name search kept: longer text is cut, never refused (a search has no error to show). */
export const MAX_SEARCH = 100;

const Search = z
  .string()
  .transform((s) => s.replace(/\s+/g, ' ').trim().slice(0, MAX_SEARCH))
  .catch('');
const Who = z.enum(Object.keys(REGISTER_SHOWS) as [RegisterShow, ...RegisterShow[]]).catch('all');

/** The register's query (`?q=nowak&who=unmarked`), read leniently: anything unusable means "everyone". */
export function readRegisterFilter(query: { q?: unknown; who?: unknown }): RegisterFilter {
  return { q: Search.parse(query.q ?? ''), who: Who.parse(query.who ?? 'all') };
}

/** Whether anything narrows the list. */
export function isFiltered(f: RegisterFilter): boolean {
  return f.q !== '' || f.who !== 'all';
}

/** Lower case, without accents or apostrophes, hyphens as spaces: how names are compared ("Łukasz" as "lukasz", too). */
function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en-GB')
    .replace(/ł/g, 'l')
    .replace(/['’‘`]/g, '')
    .replace(/[-‐–]/g, ' ');
}

/** Every word typed is somewhere in the name ("marta now" finds Marta Nowak). */
export function nameMatches(name: string, q: string): boolean {
  const words = folded(q).split(/\s+/).filter(Boolean);
  const hay = folded(name);
  return words.every((w) => hay.includes(w));
}

/**
 * A child as the door sees them: the name to show ("Kuba Nowak"), their year, and every name they go
 * by (given, preferred and family name), which a search may match. Only children the carer may hear
 * about, and only those the list is for (the event's audience): register-queries.ts decides.
 */
export type DoorChild = { pupilId: string; name: string; year: string; names: string };

export function doorChild(p: { id: string; given_name: string; preferred_name: string | null; family_name: string; year_group: YearGroup }): DoorChild {
  return {
    pupilId: p.id,
    name: `${p.preferred_name ?? p.given_name} ${p.family_name}`,
    year: YEAR_GROUP_LABELS[p.year_group],
    names: [p.given_name, p.preferred_name, p.family_name].filter(Boolean).join(' '),
  };
}

/** Every word typed is in the carer's name or one child's names ("kuba" finds Kuba's mum; "nowak jakub" too). */
export function familyMatches(family: { name: string; children: readonly DoorChild[] }, q: string): boolean {
  return nameMatches(family.name, q) || family.children.some((c) => nameMatches(`${family.name} ${c.names}`, q));
}

/** `firstTime`: ticked as came to this session, their first time at any event (the "First time" filter shows these). */
export type RegisterRow = { name: string; children: readonly DoorChild[]; saidYes: boolean; came: boolean; firstTime: boolean };

/** The rows to show, in the register's own order. */
export function filterRegister<T extends RegisterRow>(rows: readonly T[], f: RegisterFilter): T[] {
  return rows.filter((r) => {
    if (f.q && !familyMatches(r, f.q)) return false;
    if (f.who === 'yes') return r.saidYes;
    if (f.who === 'unmarked') return !r.came;
    if (f.who === 'first') return r.firstTime;
    return true;
  });
}

const NONE_FOUND: Record<RegisterShow, string> = {
  all: 'was asked to this event',
  yes: 'said yes to this time',
  unmarked: 'is still to be ticked',
  first: 'is here for the first time',
};

/** What to say when no family fits: "No family called “Zed” is still to be ticked." */
export function noneFound(f: RegisterFilter): string {
  return `No family ${f.q ? `called “${f.q}” ` : ''}${NONE_FOUND[f.who]}.`;
}

/** The register's address with this filter (for the redirect after saving, and "show everyone"). */
export function registerUrl(base: string, f: RegisterFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (f.q) params.set('q', f.q);
  if (f.who !== 'all') params.set('who', f.who);
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/**
 * The carers a saved register may change: those on the form that was sent (`shown`), so that a
 * filtered form (only "Nowak") never unticks the families it did not show. A form with no `shown`
 * (an older page) covers everyone listed, as before.
 */
export function carersOnForm(body: Record<string, unknown>, listed: readonly string[]): string[] {
  if (body.shown === undefined) return [...listed];
  const shown = new Set([body.shown].flat().filter((v): v is string => typeof v === 'string'));
  return listed.filter((id) => shown.has(id));
}
