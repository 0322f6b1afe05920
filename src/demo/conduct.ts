import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { recordBan, recordIncident, setSingleContact } from '../features/conduct/commands.ts';
import { draftBanLetter } from '../features/conduct/conduct.ts';
import { lettersAboutCarer } from '../features/concerns/index.ts';
import { localDate } from '../platform/calendar/time.ts';
import type { Plan } from './builder.ts';
import type { JourneyIds } from './journeys.ts';

/**
 * Behaviour towards staff in the demo school, through the conduct feature's own functions: one
 * parent (a generated family, so no journey's meeting requests change route) shouted at the office
 * ten days ago; the head made Ms Lewis, the family liaison officer, their single point of contact,
 * to be reviewed in ten days (so the head's home page shows the review coming up). Four days ago the
 * parent threatened Mr Okafor at the gate at pick-up, and the head banned them from the premises from
 * two days ago: their events page offers no "yes" to events at school, the door register tags them, a
 * parents' evening offers phone or video only, and they could not be approved as a volunteer.
 */
export async function addDemoConduct(db: Db, input: { schoolId: string; plan: Plan; journey: JourneyIds; now: Date }): Promise<void> {
  const { schoolId, plan, journey: j, now } = input;
  const named = new Set([j.marta, j.tomasz, j.mark, j.sarah, j.grace, j.socialWorker, j.faduma, j.familyFriend]);
  // The last such family: the first ones have the term's other generated parts (a Year 5 parent's urgent request).
  const carer = plan.carers.findLast((c) => !named.has(c.id) && c.email && c.channel_email === 1 && !c.archived_at && plan.links.some((l) => l.carer_id === c.id && l.may_receive_information === 1));
  const head = plan.staffIds.head;
  const flo = plan.staffIds.flo;
  if (!carer || !head || !flo) throw new Error('The demo school has no family, head or family liaison officer for its conduct record');
  const today = DateTime.fromISO(localDate(now, 'Europe/London'));
  const by = { staffId: head, schoolId };
  const incident = await recordIncident(
    db,
    by,
    carer.id,
    { happened_on: today.minus({ days: 10 }).toISODate()!, what: 'Shouted at Ms Byrne in the office about a lost PE kit and would not leave until the head came. Ms Byrne was shaken.' },
    { now },
  );
  if (!incident.ok) throw new Error(incident.message);
  const contact = await setSingleContact(
    db,
    by,
    carer.id,
    { contact: flo, reason: 'Several angry visits to the office this term. Ms Lewis knows the family well.', review_on: today.plus({ days: 10 }).toISODate()! },
    { now, letters: lettersAboutCarer(null) },
  );
  if (!contact.ok) throw new Error(contact.message);
  const threat = await recordIncident(
    db,
    by,
    carer.id,
    {
      happened_on: today.minus({ days: 4 }).toISODate()!,
      what: 'At pick-up, stood in front of Mr Okafor at the gate, shouting and jabbing a finger at him, and said he would be waiting for him after school.',
    },
    { now },
  );
  if (!threat.ok) throw new Error(threat.message);
  // Decided three days ago, starting the next day: the letter reached them first.
  const startsOn = today.minus({ days: 2 }).toISODate()!;
  const reviewOn = today.plus({ days: 25 }).toISODate()!;
  const school = await db.selectFrom('schools').select('name').where('id', '=', schoolId).executeTakeFirstOrThrow();
  const headName = await db.selectFrom('staff').select(['title', 'given_name', 'family_name']).where('id', '=', head).executeTakeFirstOrThrow();
  const ban = await recordBan(
    db,
    by,
    carer.id,
    {
      reason: 'Threatened Mr Okafor at the school gate at pick-up, after an earlier incident in the office.',
      starts_on: startsOn,
      review_on: reviewOn,
      letter: draftBanLetter({ schoolName: school.name, headName: `${headName.title ?? ''} ${headName.given_name} ${headName.family_name}`.trim(), startsOn, reviewOn }),
    },
    { now: new Date(now.getTime() - 3 * 86_400_000), letters: lettersAboutCarer(null) },
  );
  if (!ban.ok) throw new Error(ban.message);
}
