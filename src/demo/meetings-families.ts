import type { CarerTable, PupilTable, YearGroup } from '../db/schema.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import { DEMO_STAFF } from './people.ts';

/**
 * Who meets the school in the demo, chosen from the plan (so the same people every load): each
 * family's booking carer and children, parents who live apart, the class teacher of every child,
 * and the generated families the appointments are with.
 */
export type BookingFamily = {
  /** The carer who books: the first contact who may hear about the children. */
  carerId: string;
  pupilIds: string[];
  /** Parents with parental responsibility who live apart and may hear about the children. */
  apart: { carerId: string; pupilIds: string[] }[];
};

export type DemoPeople = {
  pupils: Map<string, PupilTable>;
  carers: Map<string, CarerTable>;
  families: BookingFamily[];
  /** The class teacher's staff id for each pupil. */
  teacherOf: (pupilId: string) => string;
  /** "Kuba", "Amelia": what a teacher calls the child. */
  childName: (pupilId: string) => string;
};

export function demoPeople(plan: Plan): DemoPeople {
  const pupils = new Map(plan.pupils.map((p) => [p.id, p]));
  const carers = new Map(plan.carers.map((c) => [c.id, c]));
  const restricted = new Set(plan.restrictions.filter((r) => r.lifted_at === null && r.stops_information === 1).map((r) => `${r.carer_id}|${r.pupil_id}`));
  const mayHear = plan.links.filter((l) => l.may_receive_information === 1 && !restricted.has(`${l.carer_id}|${l.pupil_id}`));

  const byPupil = new Map<string, typeof mayHear>();
  for (const l of mayHear) byPupil.set(l.pupil_id, [...(byPupil.get(l.pupil_id) ?? []), l]);
  const families = new Map<string, BookingFamily>();
  for (const p of plan.pupils) {
    const links = [...(byPupil.get(p.id) ?? [])].sort((a, b) => a.contact_priority - b.contact_priority || b.lives_with_pupil - a.lives_with_pupil);
    const first = links[0];
    if (!first) continue;
    let family = families.get(first.carer_id);
    if (!family) families.set(first.carer_id, (family = { carerId: first.carer_id, pupilIds: [], apart: [] }));
    family.pupilIds.push(p.id);
    for (const l of links.slice(1)) {
      if (l.lives_with_pupil === 1 || l.parental_responsibility === 0 || (l.relationship !== 'mother' && l.relationship !== 'father')) continue;
      let away = family.apart.find((a) => a.carerId === l.carer_id);
      if (!away) family.apart.push((away = { carerId: l.carer_id, pupilIds: [] }));
      away.pupilIds.push(p.id);
    }
  }

  const teacherByYear = new Map<YearGroup, string>();
  for (const s of DEMO_STAFF) if (s.teaches) teacherByYear.set(s.teaches.year, plan.staffIds[s.key]!);
  const teacherOf = (pupilId: string) => teacherByYear.get(pupils.get(pupilId)!.year_group)!;
  const childName = (pupilId: string) => {
    const p = pupils.get(pupilId)!;
    return p.preferred_name ?? p.given_name;
  };
  return { pupils, carers, families: [...families.values()], teacherOf, childName };
}

/** A father from a generated Year 3 family who lives with his child and reads English: journey 6. */
export function gateFather(plan: Plan, journey: JourneyIds): { carerId: string; pupilId: string } {
  const carers = new Map(plan.carers.map((c) => [c.id, c]));
  for (const p of plan.pupils) {
    if (p.year_group !== '3' || p.id === journey.kuba || p.id === journey.lily) continue;
    const dad = plan.links.find(
      (l) =>
        l.pupil_id === p.id &&
        l.relationship === 'father' &&
        l.parental_responsibility === 1 &&
        l.lives_with_pupil === 1 &&
        l.may_receive_information === 1 &&
        carers.get(l.carer_id)?.email &&
        carers.get(l.carer_id)?.preferred_language === 'English',
    );
    if (dad) return { carerId: dad.carer_id, pupilId: p.id };
  }
  throw new Error('The demo school has no Year 3 father for journey 6');
}

/**
 * The first family (in plan order) with a child matching `wanted` whose booking carer has an email,
 * leaving out the children already used; the child is then used.
 */
export function pickFamily(people: DemoPeople, used: Set<string>, wanted: (p: PupilTable) => boolean): { carerId: string; pupilId: string } {
  for (const f of people.families) {
    if (f.pupilIds.some((id) => used.has(id)) || !people.carers.get(f.carerId)?.email) continue;
    const pupilId = f.pupilIds.find((id) => wanted(people.pupils.get(id)!));
    if (!pupilId) continue;
    for (const id of f.pupilIds) used.add(id);
    return { carerId: f.carerId, pupilId };
  }
  throw new Error('The demo school has no family for one of its meetings');
}
