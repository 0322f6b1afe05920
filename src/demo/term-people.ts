import type { LocalDate, YearGroup } from '../db/schema.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';
import type { PupilPick } from './term-letters.ts';
import { pick, shuffled, type Rng } from './random.ts';

/**
 * Who does what in the demo's autumn term, chosen from the plan with the seeded generator: the six
 * families who have read nothing since October, the carers who read only in the app, the PTA and
 * the reading partners, and the pupils each piece of praise is for.
 */
export type Family = { carers: string[]; pupils: string[] };

/** Families as the links make them: carers and children joined through any link. */
export function familiesOf(plan: Plan): Family[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = x; at !== root;) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const c of plan.carers) parent.set(c.id, c.id);
  for (const p of plan.pupils) parent.set(p.id, p.id);
  for (const l of plan.links) parent.set(find(l.carer_id), find(l.pupil_id));
  const byRoot = new Map<string, Family>();
  const familyOf = (id: string) => {
    const root = find(id);
    let f = byRoot.get(root);
    if (!f) byRoot.set(root, (f = { carers: [], pupils: [] }));
    return f;
  };
  // In plan order, so the families come out the same every time.
  for (const c of plan.carers) familyOf(c.id).carers.push(c.id);
  for (const p of plan.pupils) familyOf(p.id).pupils.push(p.id);
  return [...byRoot.values()].filter((f) => f.pupils.length > 0);
}

export type TermPeople = {
  /** Carers of the six families who have read nothing since 1 October. */
  silentFamilies: Family[];
  silent: Set<string>;
  /** Carers who stopped emails in September and read everything in the app. */
  portalReaders: string[];
  pta: string[];
  readingPartners: string[];
  /** Pupils the generator may pick for praise: everyone but the JOURNEYS children. */
  pupilsByYear: Map<YearGroup, string[]>;
  /** Carers from the generated families (not the ones made by hand). */
  generated: Set<string>;
};

/** `generated`: where the generated families' carers are in plan.carers (after those journeys.ts made by hand, and before the family of hearing.ts). */
export function chooseTermPeople(plan: Plan, journey: JourneyIds, generatedAt: { from: number; to?: number }, rng: Rng): TermPeople {
  const carers = new Map(plan.carers.map((c) => [c.id, c]));
  const journeyPupils = new Set([journey.kuba, journey.ola, journey.lily, journey.leo, journey.ayaan]);
  const generated = new Set(plan.carers.slice(generatedAt.from, generatedAt.to).map((c) => c.id));
  const families = familiesOf(plan);
  const online = (id: string) => {
    const c = carers.get(id)!;
    return c.email !== null && c.channel_app === 1 && c.paper_copies === 0;
  };

  // Every carer online and generated: families who could read and do not.
  const candidates = families.filter((f) => f.carers.every((id) => generated.has(id) && online(id)) && !f.pupils.some((p) => journeyPupils.has(p)));
  const silentFamilies = shuffled(rng, candidates).slice(0, 6);
  const silent = new Set(silentFamilies.flatMap((f) => f.carers));

  const ordinary = plan.carers.filter((c) => generated.has(c.id) && !silent.has(c.id) && online(c.id));
  const portalReaders = shuffled(rng, ordinary)
    .slice(0, 8)
    .map((c) => c.id);
  const busy = new Set(portalReaders);
  const volunteersPool = ordinary.filter((c) => !busy.has(c.id));
  const pta = shuffled(rng, volunteersPool)
    .slice(0, 11)
    .map((c) => c.id);
  // Mrs O'Brien-Smith chairs the PTA.
  const siobhan = plan.carers.find((c) => c.given_name === 'Siobhan' && c.family_name === "O'Brien-Smith");
  if (siobhan) pta.unshift(siobhan.id);
  const readingPartners = shuffled(
    rng,
    volunteersPool.filter((c) => !pta.includes(c.id)),
  )
    .slice(0, 7)
    .map((c) => c.id);
  // Grace Mensah hears Year 1 read on Thursdays.
  readingPartners.push(journey.grace);

  const pupilsByYear = new Map<YearGroup, string[]>();
  for (const p of plan.pupils) {
    if (journeyPupils.has(p.id)) continue;
    pupilsByYear.set(p.year_group, [...(pupilsByYear.get(p.year_group) ?? []), p.id]);
  }

  return {
    silentFamilies,
    silent,
    portalReaders,
    pta,
    readingPartners,
    pupilsByYear,
    generated,
  };
}

/** Pupils for one message: named JOURNEYS children, and others from a year, never twice. */
export function resolvePupils(picks: PupilPick[], journey: JourneyIds, people: TermPeople, rng: Rng): string[] {
  const out: string[] = [];
  for (const p of picks) {
    if ('named' in p) out.push(journey[p.named]);
    else {
      const pool = (people.pupilsByYear.get(p.year) ?? []).filter((id) => !out.includes(id));
      out.push(...shuffled(rng, pool).slice(0, p.count));
    }
  }
  return out;
}

/** Ms Lewis's calls and conversations this term, for the families she works with. */
type At = { date: LocalDate; time: string };
/** `safeguarding`: marked "This is a safeguarding concern", and who of the DSL ('dsl') and deputy ('deputy') has read it since. */
export type ContactEntry = { carerId: string; kind: 'phone' | 'gate' | 'home_visit' | 'no_answer'; at: At; note: string; safeguarding?: { readBy: { who: 'dsl' | 'deputy'; at: At }[] } };

export function liaisonContacts(plan: Plan, journey: JourneyIds, people: TermPeople, rng: Rng): ContactEntry[] {
  const [first, second] = people.silentFamilies;
  const others = plan.carers.filter((c) => c.email !== null && people.generated.has(c.id) && !people.silent.has(c.id) && !people.portalReaders.includes(c.id));
  const gateDad = pick(
    rng,
    others.filter((c) => c.title === 'Mr'),
  );
  const junkMum = pick(
    rng,
    others.filter((c) => c.title === 'Mrs' || c.title === 'Ms'),
  );
  const entries: ContactEntry[] = [
    {
      carerId: journey.faduma,
      kind: 'phone',
      at: { date: '2026-09-17', time: '10:15' },
      note: 'Rang with the council’s Somali interpreter line. Explained that letters come home in Ayaan’s bag on Fridays. She would like a call before anything important; agreed to ring her before parents’ evening.',
    },
    {
      carerId: first!.carers[0]!,
      kind: 'no_answer',
      at: { date: '2026-10-07', time: '14:30' },
      note: 'No answer. Left a voicemail asking for a call back, and mentioned that newsletters come by email and on Gatepost.',
    },
    {
      carerId: first!.carers[0]!,
      kind: 'no_answer',
      at: { date: '2026-11-19', time: '12:20' },
      note: 'Rang again at lunchtime: no answer, and no call back after the voicemail. Next: catch her at the gate at pick-up, or ask the class teacher to.',
    },
    {
      carerId: gateDad.id,
      kind: 'gate',
      at: { date: '2026-10-15', time: '15:25' },
      note: 'Spoke at the gate at pick-up. He had not seen the trip letter: our emails go to a work address he rarely checks. Gave him the office number to change it.',
    },
    {
      carerId: junkMum.id,
      kind: 'phone',
      at: { date: '2026-11-09', time: '11:00' },
      note: 'Our emails were going to her junk folder. Talked her through marking them as safe and signing in to Gatepost on her phone. She has read this week’s letters.',
    },
    {
      // Passed to the DSL as it was written: Ms Lewis and everyone else now see the call, not the words.
      carerId: junkMum.id,
      kind: 'gate',
      at: { date: '2026-11-18', time: '15:20' },
      note: 'At pick-up she told me there has been shouting at home most nights since her partner moved back in, and that her youngest has started hiding upstairs when they hear the car. She asked us to keep an eye on them.',
      safeguarding: {
        readBy: [
          { who: 'dsl', at: { date: '2026-11-18', time: '15:45' } },
          { who: 'deputy', at: { date: '2026-11-18', time: '16:30' } },
        ],
      },
    },
    {
      carerId: second!.carers[0]!,
      kind: 'phone',
      at: { date: '2026-10-14', time: '13:40' },
      note: 'Works nights and has not had time to open school emails. Agreed to try signing in to Gatepost at the weekend. Ring again after half term.',
    },
  ];
  return entries;
}
