import { formatDate, formatInstant } from '../calendar/time.ts';

/**
 * Audit entries in sentences a head teacher reads: "Pupil Jakub Nowak updated", "Last name: Nowak →
 * Nowak-Smith", "Emailed: Marta Nowak and Tomasz Nowak". Ids become names (names.ts looks them up),
 * codes become words, and what did not change is not listed.
 */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Record kinds in the school's words, where the table's name is not. */
const THINGS: Record<string, string> = {
  evening: 'parents’ evening',
  evening_booking: 'parents’ evening appointment',
  evening_attendee: 'parents’ evening appointment',
  evening_needs: 'help asked for at a parents’ evening',
  carer_pupil: 'link between carer and pupil',
  staff: 'member of staff',
  school_text: 'school’s own words',
  language_check: 'language check',
  concern_entry: 'entry in a concern',
};
/** Field names in words, where dropping "_id" and the underscores is not enough. */
const FIELDS: Record<string, string> = {
  given_name: 'first name',
  family_name: 'last name',
  preferred_name: 'known as',
  staff_id: 'member of staff',
  lead_id: 'led by',
  eal: 'English as an additional language',
  send_status: 'SEN',
  upn: 'UPN',
  in_english: 'in English',
  owner_id: 'dealt with by',
  due_on: 'due',
  school_days: 'school days to resolve it',
  told: 'family told by',
  received_via: 'reached the school by',
  contact_by: 'contact them',
  contact_how: 'how',
  reopened_count: 'times reopened',
};
/** Field names that mean something of their own for one kind of record (in the words its page uses). */
const FIELDS_OF: Record<string, Record<string, string>> = {
  // A concern's due date is the aim to resolve it (the concern page's words), not a deadline.
  concern: { due_on: 'aim to resolve by' },
};

export type Names = ReadonlyMap<string, string>;
const none: Names = new Map();

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const words = (code: string) => code.replace(/_/g, ' ');

export function thingWords(entity: string): string {
  return THINGS[entity] ?? words(entity);
}

/** Actions that read better as their own sentence than as "thing name verb"; `name` is the record's name. */
const SENTENCES: Record<string, (name: string) => string> = {
  'language_check.recorded': (name) => `${name} words checked by a fluent speaker`,
  'school_text.saved': (name) => `The school’s own words in ${name} saved`,
  'school_text.cleared': (name) => `The school’s own words in ${name} removed: families see Gatepost’s words again`,
};

/** "Pupil Jakub Nowak updated", "Meeting note viewed", "Polish words checked by a fluent speaker". */
export function actionWords(action: string, name?: string | null): string {
  const sentence = SENTENCES[action];
  if (sentence && name) return sentence(name);
  const [entity = '', ...verb] = action.split('.');
  return [upperFirst(thingWords(entity)), name, words(verb.join(' '))].filter(Boolean).join(' ');
}

function fieldWords(key: string, entity?: string): string {
  return upperFirst((entity ? FIELDS_OF[entity]?.[key] : undefined) ?? FIELDS[key] ?? words(key.replace(/_ids?$/, '')));
}

function listWords(items: string[]): string {
  if (items.length === 0) return 'none';
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function show(value: unknown, timeZone: string, names: Names): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === 0 || value === 1) return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return listWords(value.map((v) => show(v, timeZone, names)));
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${fieldWords(k).toLowerCase()} ${show(v, timeZone, names)}`)
      .join('; ');
  const s = String(value);
  if (ID.test(s)) return names.get(s) ?? 'a record';
  if (INSTANT.test(s)) return formatInstant(s, timeZone);
  if (DATE.test(s)) return formatDate(s);
  // A code such as in_person or court_order: its words.
  return /^[a-z]+(_[a-z]+)+$/.test(s) ? words(s) : s;
}

/** Every id an entry's before and after hold, for names.ts to look up. */
export function idsIn(...json: (string | null)[]): string[] {
  const ids: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && ID.test(v)) ids.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const j of json) if (j) walk(JSON.parse(j));
  return ids;
}

/** The lines of what changed; `entity` (the record's kind) picks its own field names where it has them (FIELDS_OF). */
export function changeLines(beforeJson: string | null, afterJson: string | null, timeZone: string, names: Names = none, entity?: string): string[] {
  // An entry's before or after is an object of fields; anything else ("null", a bare value) reads as none.
  const fields = (json: string | null): Record<string, unknown> => {
    const value: unknown = json ? JSON.parse(json) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  };
  const before = fields(beforeJson);
  const after = fields(afterJson);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'id' && k !== 'school_id');
  return keys.flatMap((k) => {
    const label = fieldWords(k, entity);
    if (k in before && k in after) {
      if (JSON.stringify(before[k]) === JSON.stringify(after[k])) return [];
      return [`${label}: ${show(before[k], timeZone, names)} → ${show(after[k], timeZone, names)}`];
    }
    return [`${label}: ${show(k in after ? after[k] : before[k], timeZone, names)}`];
  });
}
