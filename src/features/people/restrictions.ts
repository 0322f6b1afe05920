/** What a restriction stops, in words for staff: "receive information, collect or have contact". */
export function whatItStops(r: { stops_information: number; stops_collection: number; stops_contact: number }): string {
  const parts = [r.stops_information ? 'receive information' : null, r.stops_collection ? 'collect' : null, r.stops_contact ? 'have contact' : null].filter((p): p is string => p !== null);
  if (parts.length <= 1) return parts[0] ?? 'do anything it names';
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** The head's and DSL's list of restrictions an import recorded, waiting for what the order says. */
export const RESTRICTIONS_TO_COMPLETE = '/restrictions/to-complete';
