import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { restrictedPairs, restrictionsOnCarer, whoMayHear, type RestrictionInForce } from '../../platform/access/hear.ts';

/**
 * What staff must know before answering a request, asked of the one rule in platform/access (never a
 * query of our own on restrictions): a carer who asks about a child they are restricted from (a court
 * order that stops information), a carer Gatepost does not link to that child, a link that says they
 * may not receive information; and, for a carer asking for their own data, the children a restriction
 * keeps them from (their own records may mention them).
 */
export type Caution =
  | { kind: 'restricted'; pupilName: string; order: 'court_order' | 'agreed_arrangement'; stops: string }
  | { kind: 'not_linked'; pupilName: string }
  | { kind: 'no_information'; pupilName: string }
  | { kind: 'own_data_mentions'; pupilNames: string[] };

const stopsWords = (s: RestrictionInForce) => {
  const parts = [s.information ? 'receiving information' : null, s.contact ? 'contact' : null, s.collection ? 'collecting the child' : null].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'what it names' : parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
};

export async function cautionsFor(
  db: Db,
  schoolId: string,
  r: { requester_carer_id: string | null; pupil_id: string | null; pupil: string | null; about: string; status: string },
  today: LocalDate,
): Promise<Caution[]> {
  if (!r.requester_carer_id) return [];
  const restrictions = await restrictionsOnCarer(db, { schoolId, carerId: r.requester_carer_id, today });
  if (r.about === 'requester') return restrictions.length ? [{ kind: 'own_data_mentions', pupilNames: [...new Set(restrictions.map((x) => x.pupilName))] }] : [];
  if (!r.pupil_id) return [];
  const about = restrictions.filter((x) => x.pupilId === r.pupil_id);
  if (about.length) return about.map((x) => ({ kind: 'restricted' as const, pupilName: x.pupilName, order: x.kind, stops: stopsWords(x.stops) }));
  const [link] = await whoMayHear(db, { schoolId, pupilIds: [r.pupil_id], carerIds: [r.requester_carer_id], purpose: 'portal', today });
  if (!link) return [{ kind: 'not_linked', pupilName: r.pupil ?? '' }];
  if (!link.decision.may) return [{ kind: 'no_information', pupilName: r.pupil ?? '' }];
  return [];
}

/** The open requests (of these) from a carer about a child a restriction in force keeps them from: tagged on the list. */
export async function restrictedRequests(db: Db, schoolId: string, requests: { id: string; requester_carer_id: string | null; pupil_id: string | null }[], today: LocalDate): Promise<Set<string>> {
  const asked = requests.filter((r) => r.requester_carer_id && r.pupil_id);
  if (asked.length === 0) return new Set();
  // 'booking' is stopped by any restriction in force, whatever it stops: the list says "restricted" for each.
  const pairs = new Set((await restrictedPairs(db, { schoolId, purpose: 'booking', today })).map((p) => `${p.carerId}:${p.pupilId}`));
  return new Set(asked.filter((r) => pairs.has(`${r.requester_carer_id}:${r.pupil_id}`)).map((r) => r.id));
}
