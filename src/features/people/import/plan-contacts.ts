import type { Relationship } from '../../../db/schema.ts';
import { RELATIONSHIP_LABELS } from '../validation.ts';
import { groupCarers, type ExistingCarer, type ExistingLink, type ResolvedRow } from './match-carers.ts';
import type { CarerValues, ContactInput, FieldChange, LinkValues, Reject, RestrictionSaid, RowResult } from './types.ts';
import { defaultMayReceiveInformation } from '../../../platform/access/hear.ts';

/** A pupil's row that the newest pupils file turned down: where, why, and whether that file was imported. */
export type TurnedDown = { line: number; fileName: string; imported: boolean; problems: string };

/** What the school already has, the UPNs of a pupils file uploaded but not yet imported, and pupils a pupils file turned down. */
export type ContactSnapshot = {
  pupils: { id: string; upn: string; given_name: string; family_name: string }[];
  pendingUpns: ReadonlySet<string>;
  turnedDown: ReadonlyMap<string, TurnedDown>;
  carers: ExistingCarer[];
  links: ExistingLink[];
  /** `carerId|pupilId` of every restriction in force that stops information: the import adds no second one. */
  restricted: ReadonlySet<string>;
};

export type CarerRef = { kind: 'existing'; id: string } | { kind: 'new'; key: string };
/** `restricted`: every row of this new carer names a restriction, so they get no channel at all (no email, text, app or paper). */
export type CarerAdd = { key: string; lines: number[]; name: string; values: CarerValues; children: string[]; restricted: boolean };
export type CarerChange = { id: string; lines: number[]; name: string; set: Partial<CarerValues>; changes: FieldChange[] };
export type LinkAdd = { line: number; carer: CarerRef; carerName: string; pupilId: string; pupilName: string; values: LinkValues };
export type LinkChange = { line: number; id: string; carerName: string; pupilName: string; set: Partial<LinkValues>; changes: FieldChange[] };
/** A court order or other restriction the file names: recorded in force (stopping information and contact) for the head or DSL to complete. */
export type RestrictionAdd = { line: number; carer: CarerRef; carerName: string; pupilId: string; pupilName: string; said: RestrictionSaid[] };

export type ContactPlan = {
  kind: 'contacts';
  rowCount: number;
  carerAdds: CarerAdd[];
  carerChanges: CarerChange[];
  linkAdds: LinkAdd[];
  linkChanges: LinkChange[];
  restrictionAdds: RestrictionAdd[];
  unchanged: number;
  rejects: Reject[];
  unusedColumns: string[];
  toImport: number;
};

const CARER_LABELS: Record<keyof CarerValues, string> = {
  title: 'Title',
  given_name: 'Forename',
  family_name: 'Surname',
  email: 'Email',
  mobile: 'Mobile',
  address_line1: 'Address line 1',
  address_line2: 'Address line 2',
  town: 'Town',
  postcode: 'Postcode',
  preferred_language: 'Preferred language',
  interpreter_needed: 'Interpreter required',
};
const LINK_LABELS: Record<keyof LinkValues, string> = {
  relationship: 'Relationship',
  parental_responsibility: 'Parental responsibility',
  lives_with_pupil: 'Lives with pupil',
  contact_priority: 'Priority',
  may_receive_information: 'Receives correspondence',
  wants_copies: 'Wants copies',
};
const FLAGS = new Set(['interpreter_needed', 'parental_responsibility', 'lives_with_pupil', 'may_receive_information', 'wants_copies']);

function show(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(blank)';
  if (FLAGS.has(field)) return value ? 'Yes' : 'No';
  if (field === 'relationship') return RELATIONSHIP_LABELS[value as Relationship];
  return String(value);
}

/** Only the fields the file states and that differ, as a set to write and before → after to show. */
function diff<T extends object>(current: T, next: Partial<T>, labels: Partial<Record<keyof T, string>>): { set: Partial<T>; changes: FieldChange[] } {
  const set: Partial<T> = {};
  const changes: FieldChange[] = [];
  for (const field of Object.keys(labels) as (keyof T)[]) {
    const value = next[field];
    if (value === undefined || value === current[field]) continue;
    set[field] = value;
    changes.push({ field: labels[field]!, before: show(String(field), current[field]), after: show(String(field), value) });
  }
  return { set, changes };
}

/** The first stated value of each field across a carer's rows (the file lists them once per child). */
function mergeCarer(rows: ResolvedRow[]): ContactInput['carer'] {
  const merged: Record<string, unknown> = {};
  for (const row of rows) for (const [k, v] of Object.entries(row.carer)) if (merged[k] === undefined && v !== undefined) merged[k] = v;
  return merged as ContactInput['carer'];
}

function newLink(row: ResolvedRow, orderInFile: number): LinkValues {
  const pr = row.link.parental_responsibility ?? (row.link.relationship === 'mother' || row.link.relationship === 'father' ? 1 : 0);
  const lives = row.link.lives_with_pupil ?? 0;
  // Not stated: DfE guidance, parental responsibility or care of the child (platform/access/hear.ts).
  const information = defaultMayReceiveInformation({ parentalResponsibility: pr === 1, livesWith: lives === 1 }) ? 1 : 0;
  return {
    relationship: row.link.relationship,
    parental_responsibility: pr,
    lives_with_pupil: lives,
    contact_priority: row.link.contact_priority ?? orderInFile,
    may_receive_information: row.link.may_receive_information ?? information,
    wants_copies: row.link.wants_copies ?? 0,
  };
}

/** Why a contact's pupil is not in the school: waiting for a pupils file, turned down by one, or in neither. */
function unknownPupil(upn: string, snapshot: ContactSnapshot): string {
  if (snapshot.pendingUpns.has(upn)) return `Pupil ${upn} is in a pupils file that has not been imported yet. Import the pupils file first, then come back to this page`;
  const down = snapshot.turnedDown.get(upn);
  if (down?.imported) {
    return `The row for pupil ${upn} was turned down on line ${down.line} of the pupils file "${down.fileName}" (${down.problems}), so Gatepost does not have this pupil. Correct the pupil in the records system and import the pupils file again, then this contacts file`;
  }
  if (down) {
    return `The row for pupil ${upn} is turned down on line ${down.line} of the pupils file "${down.fileName}" (${down.problems}), so it will not be imported. Correct the pupil in the records system and upload the pupils file again, then this contacts file`;
  }
  return `No pupil with UPN ${upn} is in the school or in the pupils file`;
}

/** What importing these contact rows would do (see match-carers.ts for who is matched to whom). */
export function planContacts(results: RowResult<ContactInput>[], snapshot: ContactSnapshot, upnField = 'Pupil UPN', unusedColumns: string[] = []): ContactPlan {
  const plan: ContactPlan = {
    kind: 'contacts',
    rowCount: results.length,
    carerAdds: [],
    carerChanges: [],
    linkAdds: [],
    linkChanges: [],
    restrictionAdds: [],
    unchanged: 0,
    rejects: [],
    unusedColumns,
    toImport: 0,
  };
  const pupilByUpn = new Map(snapshot.pupils.map((p) => [p.upn, { id: p.id, name: `${p.given_name} ${p.family_name}` }]));
  const resolved: ResolvedRow[] = [];
  const orderInFile = new Map<number, number>();
  const perPupil = new Map<string, number>();
  for (const r of results) {
    if (!r.ok) {
      // Every reason at once: a row turned down for its email is also said to name an unknown pupil, so the
      // office corrects the row once in the records system rather than finding the second problem next upload.
      const upn = r.reject.key;
      const named = upn ? r.reject.problems.some((p) => p.field === upnField) : true;
      if (upn && !named && !pupilByUpn.has(upn)) plan.rejects.push({ ...r.reject, problems: [{ field: upnField, message: unknownPupil(upn, snapshot) }, ...r.reject.problems] });
      else plan.rejects.push(r.reject);
      continue;
    }
    const upn = r.value.pupil_upn;
    const pupil = pupilByUpn.get(upn);
    if (!pupil) {
      const message = unknownPupil(upn, snapshot);
      plan.rejects.push({ line: r.value.line, who: `${r.value.carer.given_name} ${r.value.carer.family_name} (for pupil ${upn})`, key: upn, problems: [{ field: upnField, message }] });
      continue;
    }
    perPupil.set(pupil.id, (perPupil.get(pupil.id) ?? 0) + 1);
    orderInFile.set(r.value.line, perPupil.get(pupil.id)!);
    resolved.push({ ...r.value, pupil });
  }

  const linkByPair = new Map(snapshot.links.map((l) => [`${l.carer_id}|${l.pupil_id}`, l]));
  const linkedOn = new Map<string, number>();
  const importing = new Set<number>();
  let duplicates = 0;
  for (const group of groupCarers(resolved, snapshot.carers, snapshot.links)) {
    const ref: CarerRef = group.existing ? { kind: 'existing', id: group.existing.id } : { kind: 'new', key: `new:${group.rows[0]!.line}` };
    const refKey = ref.kind === 'existing' ? ref.id : ref.key;
    const rows = group.rows.filter((row) => {
      const pair = `${refKey}|${row.pupil.id}`;
      const earlier = linkedOn.get(pair);
      if (earlier === undefined) return (linkedOn.set(pair, row.line), true);
      const who = `${row.carer.given_name} ${row.carer.family_name}`;
      const message = `${who} is already listed for ${row.pupil.name} on line ${earlier}: each carer must be on one row per pupil`;
      plan.rejects.push({ line: row.line, who: `${who} (for pupil ${row.pupil_upn})`, key: row.pupil_upn, problems: [{ field: upnField, message }] });
      duplicates++;
      return false;
    });
    const lines = rows.map((r) => r.line);
    const stated = mergeCarer(rows);
    const name = `${stated.given_name} ${stated.family_name}`;
    if (group.existing) {
      const { set, changes } = diff<CarerValues>(group.existing, stated, CARER_LABELS);
      if (changes.length > 0) {
        plan.carerChanges.push({ id: group.existing.id, lines, name: `${group.existing.given_name} ${group.existing.family_name}`, set, changes });
        lines.forEach((l) => importing.add(l));
      }
    } else {
      const values: CarerValues = {
        title: null,
        email: null,
        mobile: null,
        address_line1: null,
        address_line2: null,
        town: null,
        postcode: null,
        preferred_language: 'English',
        interpreter_needed: 0,
        ...stated,
      };
      const children = rows.map((r) => `${r.pupil.name} (${RELATIONSHIP_LABELS[r.link.relationship]})`);
      plan.carerAdds.push({ key: refKey, lines, name, values, children, restricted: rows.every((r) => r.restrictions.length > 0) });
      lines.forEach((l) => importing.add(l));
    }
    for (const row of rows) {
      if (row.restrictions.length > 0 && !(ref.kind === 'existing' && snapshot.restricted.has(`${ref.id}|${row.pupil.id}`))) {
        plan.restrictionAdds.push({ line: row.line, carer: ref, carerName: name, pupilId: row.pupil.id, pupilName: row.pupil.name, said: row.restrictions });
        importing.add(row.line);
      }
      const existingLink = ref.kind === 'existing' ? linkByPair.get(`${ref.id}|${row.pupil.id}`) : undefined;
      if (!existingLink) {
        plan.linkAdds.push({ line: row.line, carer: ref, carerName: name, pupilId: row.pupil.id, pupilName: row.pupil.name, values: newLink(row, orderInFile.get(row.line)!) });
        importing.add(row.line);
        continue;
      }
      const { set, changes } = diff<LinkValues>(existingLink, row.link, LINK_LABELS);
      if (changes.length > 0) {
        plan.linkChanges.push({ line: row.line, id: existingLink.id, carerName: name, pupilName: row.pupil.name, set, changes });
        importing.add(row.line);
      }
    }
  }
  plan.rejects.sort((a, b) => a.line - b.line);
  plan.toImport = importing.size;
  plan.unchanged = resolved.length - duplicates - importing.size;
  return plan;
}
