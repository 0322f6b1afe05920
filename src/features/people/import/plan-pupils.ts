import type { Flag, SendStatus, YearGroup } from '../../../db/schema.ts';
import { formatDate } from '../../../platform/calendar/time.ts';
import { SEND_LABELS, YEAR_GROUP_LABELS } from '../validation.ts';
import type { FieldChange, PupilInput, Reject, RowResult } from './types.ts';

/** What the school already has: every pupil (archived too, since UPNs stay unique) and every class. */
export type ExistingPupil = {
  id: string;
  upn: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string;
  year_group: YearGroup;
  class_id: string | null;
  send_status: SendStatus;
  eal: Flag;
  home_language: string | null;
  archived_at: string | null;
};
export type ExistingClass = { id: string; name: string; year_group: YearGroup };
export type PupilSnapshot = { pupils: ExistingPupil[]; classes: ExistingClass[] };

/** A pupil's fields as the import sees them: the class by name. */
export type PupilRecord = {
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: string;
  year_group: YearGroup;
  class_name: string | null;
  send_status: SendStatus;
  eal: Flag;
  home_language: string | null;
};

export type PupilAdd = { line: number; upn: string; values: PupilRecord };
export type PupilChange = { line: number; id: string; upn: string; name: string; archived: boolean; set: Partial<PupilRecord>; changes: FieldChange[] };
/**
 * A class the file names that the school does not have (by name): created with no teacher yet, or,
 * when the person importing chose one on the dry run, matched to a class the school has.
 */
export type UnknownClass = { key: string; name: string; year_group: YearGroup; pupils: number; matchedTo: ExistingClass | null };
/** The dry run's choices: a class name in the file (lower case) → the id of the school's class it is. */
export type ClassChoices = Readonly<Record<string, string>>;

export type PupilPlan = {
  kind: 'pupils';
  rowCount: number;
  adds: PupilAdd[];
  changes: PupilChange[];
  unchanged: number;
  rejects: Reject[];
  notInFile: { upn: string; name: string }[];
  /** Classes to create: the unknown classes not matched to one the school has. */
  newClasses: { name: string; year_group: YearGroup }[];
  unknownClasses: UnknownClass[];
  unusedColumns: string[];
  /** Rows that add or change something: the number on the Import button. */
  toImport: number;
};

const FIELD_LABELS: Record<keyof PupilRecord, string> = {
  given_name: 'Legal forename',
  family_name: 'Legal surname',
  preferred_name: 'Preferred forename',
  date_of_birth: 'Date of birth',
  year_group: 'Year group',
  class_name: 'Reg group',
  send_status: 'SEN status',
  eal: 'EAL',
  home_language: 'Home language',
};

function show(field: keyof PupilRecord, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(blank)';
  if (field === 'date_of_birth') return formatDate(String(value));
  if (field === 'year_group') return YEAR_GROUP_LABELS[value as YearGroup];
  if (field === 'send_status') return SEND_LABELS[value as SendStatus];
  if (field === 'eal') return value ? 'Yes' : 'No';
  return String(value);
}

/**
 * A UPN on several rows of one file: the first row stands (imported if it is good) and every later
 * row is turned down, naming the line it repeats, so a real pupil is never lost to a stray copy.
 */
export function rejectDuplicateUpns(results: RowResult<PupilInput>[], upnField: string): RowResult<PupilInput>[] {
  const firstLine = new Map<string, number>();
  return results.map((r) => {
    const upn = r.ok ? r.value.upn : r.reject.key;
    const line = r.ok ? r.value.line : r.reject.line;
    if (!upn) return r;
    const first = firstLine.get(upn);
    if (first === undefined) {
      firstLine.set(upn, line);
      return r;
    }
    const problem = { field: upnField, message: `UPN ${upn} is already on line ${first} of this file. Each pupil must be on one row: line ${first} is the one read, and this row is turned down` };
    if (!r.ok) return { ok: false, reject: { ...r.reject, problems: [...r.reject.problems, problem] } };
    return { ok: false, reject: { line, who: `${r.value.given_name} ${r.value.family_name} (${upn})`, key: upn, problems: [problem] } };
  });
}

/** What importing these rows would do: adds, changes (before → after), rejects and classes to create. */
export function planPupils(results: RowResult<PupilInput>[], snapshot: PupilSnapshot, unusedColumns: string[] = [], choices: ClassChoices = {}): PupilPlan {
  const byUpn = new Map(snapshot.pupils.map((p) => [p.upn, p]));
  const classById = new Map(snapshot.classes.map((c) => [c.id, c]));
  const classByName = new Map(snapshot.classes.map((c) => [c.name.toLowerCase(), c]));
  const unknown = new Map<string, UnknownClass>();
  const plan: PupilPlan = {
    kind: 'pupils',
    rowCount: results.length,
    adds: [],
    changes: [],
    unchanged: 0,
    rejects: [],
    notInFile: [],
    newClasses: [],
    unknownClasses: [],
    unusedColumns,
    toImport: 0,
  };
  const seen = new Set<string>();

  /** The file's class name as Gatepost will store it: the school's class it names or was matched to, or the name of a class to create. */
  const classFor = (name: string | null | undefined): string | null | undefined => {
    if (!name) return name;
    const key = name.toLowerCase();
    const chosen = choices[key] !== undefined ? classById.get(choices[key]) : undefined;
    return (classByName.get(key) ?? chosen)?.name ?? name;
  };
  const noteClass = (name: string | null | undefined, year: YearGroup) => {
    if (!name) return;
    const key = name.toLowerCase();
    if (classByName.has(key)) return;
    const known = unknown.get(key);
    if (known) known.pupils++;
    else unknown.set(key, { key, name, year_group: year, pupils: 1, matchedTo: (choices[key] !== undefined ? classById.get(choices[key]) : undefined) ?? null });
  };

  for (const r of results) {
    if (!r.ok) {
      if (r.reject.key) seen.add(r.reject.key);
      plan.rejects.push(r.reject);
      continue;
    }
    const input = r.value;
    seen.add(input.upn);
    const existing = byUpn.get(input.upn);
    if (!existing) {
      const homeLanguage = input.home_language ?? null;
      plan.adds.push({
        line: input.line,
        upn: input.upn,
        values: {
          given_name: input.given_name,
          family_name: input.family_name,
          preferred_name: input.preferred_name ?? null,
          date_of_birth: input.date_of_birth,
          year_group: input.year_group,
          class_name: classFor(input.class_name) ?? null,
          send_status: input.send_status ?? 'none',
          eal: input.eal ?? (homeLanguage && !/^eng/i.test(homeLanguage) ? 1 : 0),
          home_language: homeLanguage,
        },
      });
      noteClass(input.class_name, input.year_group);
      continue;
    }
    const current: PupilRecord = { ...existing, class_name: existing.class_id ? (classById.get(existing.class_id)?.name ?? null) : null };
    const set: Partial<PupilRecord> = {};
    const changes: FieldChange[] = [];
    for (const field of Object.keys(FIELD_LABELS) as (keyof PupilRecord)[]) {
      const next = field === 'class_name' ? classFor(input.class_name) : input[field];
      if (next === undefined) continue; // the file does not say: leave it
      const same = field === 'class_name' ? (next ?? '').toString().toLowerCase() === (current.class_name ?? '').toLowerCase() : next === current[field];
      if (same) continue;
      (set as Record<string, unknown>)[field] = next;
      changes.push({ field: FIELD_LABELS[field], before: show(field, current[field]), after: show(field, next) });
    }
    if (changes.length === 0) {
      plan.unchanged++;
      continue;
    }
    plan.changes.push({ line: input.line, id: existing.id, upn: input.upn, name: `${existing.given_name} ${existing.family_name}`, archived: existing.archived_at !== null, set, changes });
    noteClass(input.class_name !== undefined && set.class_name !== undefined ? input.class_name : null, set.year_group ?? existing.year_group);
  }

  plan.notInFile = snapshot.pupils
    .filter((p) => p.archived_at === null && !seen.has(p.upn))
    .sort((a, b) => a.family_name.localeCompare(b.family_name) || a.given_name.localeCompare(b.given_name))
    .map((p) => ({ upn: p.upn, name: `${p.given_name} ${p.family_name}` }));
  plan.unknownClasses = [...unknown.values()];
  plan.newClasses = plan.unknownClasses.filter((c) => !c.matchedTo).map((c) => ({ name: c.name, year_group: c.year_group }));
  plan.rejects.sort((a, b) => a.line - b.line);
  plan.toImport = plan.adds.length + plan.changes.length;
  return plan;
}

/** 4, 9 and 12 → '4, 9 and 12' */
export function listLines(lines: number[]): string {
  const sorted = [...lines].sort((a, b) => a - b);
  return sorted.length <= 1 ? String(sorted[0] ?? '') : `${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]}`;
}
