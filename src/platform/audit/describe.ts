import { formatInstant } from '../calendar/time.ts';

/** Audit entries in words a head teacher reads: "Pupil updated", "family_name: Nowak → Nowak-Smith". */
export function actionWords(action: string): string {
  const [entity = '', verb = ''] = action.split('.');
  const thing = entity.replace(/_/g, ' ');
  const did = verb.replace(/_/g, ' ');
  return `${thing.charAt(0).toUpperCase()}${thing.slice(1)} ${did}`.trim();
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function show(value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string' && INSTANT.test(value)) return formatInstant(value, timeZone);
  if (value === 0 || value === 1) return value ? 'yes' : 'no';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function changeLines(beforeJson: string | null, afterJson: string | null, timeZone: string): string[] {
  const before = beforeJson ? (JSON.parse(beforeJson) as Record<string, unknown>) : {};
  const after = afterJson ? (JSON.parse(afterJson) as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'id' && k !== 'school_id');
  return keys.map((k) => {
    const label = k.replace(/_/g, ' ');
    if (k in before && k in after) return `${label}: ${show(before[k], timeZone)} → ${show(after[k], timeZone)}`;
    return `${label}: ${show(k in after ? after[k] : before[k], timeZone)}`;
  });
}
