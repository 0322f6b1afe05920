import { DateTime } from 'luxon';
import type { Db } from '../../db/database.ts';
import type { LocalDate } from '../../db/schema.ts';
import { staffButGovernors } from '../people/index.ts';
import { REVIEW_NOTICE_DAYS, reviewState, type ReviewState } from './conduct.ts';

/**
 * Reads for the conduct feature. Every query is scoped by school. The complaints table belongs to
 * features/concerns: it is only read here (which complaints a carer made, to close one), never written.
 */
const name = (p: { title: string | null; given_name: string; family_name: string }) => `${p.title ? `${p.title} ` : ''}${p.given_name} ${p.family_name}`;

export async function carerOf(db: Db, schoolId: string, carerId: string) {
  return db
    .selectFrom('carers')
    .select(['id', 'title', 'given_name', 'family_name', 'email', 'channel_email', 'archived_at', 'address_line1', 'address_line2', 'town', 'postcode'])
    .where('school_id', '=', schoolId)
    .where('id', '=', carerId)
    .executeTakeFirst();
}

export async function staffNameOf(db: Db, schoolId: string, staffId: string): Promise<string | null> {
  const s = await db.selectFrom('staff').select(['title', 'given_name', 'family_name']).where('school_id', '=', schoolId).where('id', '=', staffId).executeTakeFirst();
  return s ? name(s) : null;
}

/** Staff who may be a carer's single point of contact: anyone on the staff but governors, not archived. */
export async function contactChoices(db: Db, schoolId: string) {
  const rows = await staffButGovernors(db, schoolId);
  return rows.map((s) => ({ id: s.id, name: name(s), jobTitle: s.job_title }));
}

/** Everything recorded about one carer's behaviour, and the complaints they made (to close one). */
export async function conductOf(db: Db, schoolId: string, carerId: string) {
  const [incidents, arrangements, closures, complaints] = await Promise.all([
    db
      .selectFrom('conduct_incidents')
      .innerJoin('staff', 'staff.id', 'conduct_incidents.recorded_by')
      .select(['conduct_incidents.id', 'conduct_incidents.happened_on', 'conduct_incidents.what', 'conduct_incidents.created_at', 'staff.title', 'staff.given_name', 'staff.family_name'])
      .where('conduct_incidents.school_id', '=', schoolId)
      .where('conduct_incidents.carer_id', '=', carerId)
      .orderBy('conduct_incidents.happened_on', 'desc')
      .orderBy('conduct_incidents.created_at', 'desc')
      .execute(),
    db
      .selectFrom('conduct_arrangements')
      .leftJoin('staff as contact', 'contact.id', 'conduct_arrangements.contact_staff_id')
      .selectAll('conduct_arrangements')
      .select(['contact.title as contact_title', 'contact.given_name as contact_given', 'contact.family_name as contact_family'])
      .where('conduct_arrangements.school_id', '=', schoolId)
      .where('conduct_arrangements.carer_id', '=', carerId)
      .orderBy('conduct_arrangements.created_at', 'desc')
      .execute(),
    db
      .selectFrom('complaint_closures')
      .innerJoin('complaints', 'complaints.id', 'complaint_closures.complaint_id')
      .selectAll('complaint_closures')
      .select(['complaints.received_on'])
      .where('complaint_closures.school_id', '=', schoolId)
      .where('complaint_closures.carer_id', '=', carerId)
      .orderBy('complaint_closures.created_at', 'desc')
      .execute(),
    db
      .selectFrom('complaints')
      .innerJoin('pupils', 'pupils.id', 'complaints.pupil_id')
      .select(['complaints.id', 'complaints.received_on', 'complaints.stage', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name'])
      .where('complaints.school_id', '=', schoolId)
      .where('complaints.carer_id', '=', carerId)
      .orderBy('complaints.received_on', 'desc')
      .execute(),
  ]);
  const closed = new Set(closures.map((c) => c.complaint_id));
  return {
    incidents: incidents.map((i) => ({ id: i.id, happenedOn: i.happened_on, what: i.what, recordedBy: name(i) })),
    arrangements: arrangements.map((a) => ({
      ...a,
      contactName: a.contact_given ? name({ title: a.contact_title, given_name: a.contact_given, family_name: a.contact_family ?? '' }) : null,
    })),
    closures,
    complaints: complaints.map((c) => ({ id: c.id, receivedOn: c.received_on, stage: c.stage, child: `${c.preferred_name || c.given_name} ${c.family_name}`, closed: closed.has(c.id) })),
  };
}

/** The arrangement of this kind in force for a carer, if any. */
export async function inForce(db: Db, schoolId: string, carerId: string, kind: 'single_contact' | 'premises_ban') {
  return db.selectFrom('conduct_arrangements').selectAll().where('school_id', '=', schoolId).where('carer_id', '=', carerId).where('kind', '=', kind).where('ended_at', 'is', null).executeTakeFirst();
}

/** The member of staff a carer's messages and meeting requests go to, while a single point of contact is in force (and they are still on the staff). */
export async function singlePointOfContact(db: Db, schoolId: string, carerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('conduct_arrangements')
    .innerJoin('staff', 'staff.id', 'conduct_arrangements.contact_staff_id')
    .select('staff.id')
    .where('conduct_arrangements.school_id', '=', schoolId)
    .where('conduct_arrangements.carer_id', '=', carerId)
    .where('conduct_arrangements.kind', '=', 'single_contact')
    .where('conduct_arrangements.ended_at', 'is', null)
    .where('staff.archived_at', 'is', null)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** `link`: where it is reviewed (the carer's conduct record, or a public complaint's page). */
export type ReviewDue = { carerId: string | null; carerName: string; what: string; reviewOn: LocalDate; state: ReviewState; link: string };

/** Arrangements in force and complaint closures not yet reviewed, whose review date is past or within REVIEW_NOTICE_DAYS. */
export async function reviewsDue(db: Db, schoolId: string, today: LocalDate): Promise<ReviewDue[]> {
  const until = DateTime.fromISO(today).plus({ days: REVIEW_NOTICE_DAYS }).toISODate()!;
  const [arrangements, closures] = await Promise.all([
    db
      .selectFrom('conduct_arrangements')
      .innerJoin('carers', 'carers.id', 'conduct_arrangements.carer_id')
      .select(['conduct_arrangements.carer_id', 'conduct_arrangements.kind', 'conduct_arrangements.review_on', 'carers.title', 'carers.given_name', 'carers.family_name'])
      .where('conduct_arrangements.school_id', '=', schoolId)
      .where('conduct_arrangements.ended_at', 'is', null)
      .where('conduct_arrangements.review_on', '<=', until)
      .execute(),
    db
      .selectFrom('complaint_closures')
      .leftJoin('carers', 'carers.id', 'complaint_closures.carer_id')
      // A public complainant's closure (no carer): named as the public form named them.
      .innerJoin('complaints', 'complaints.id', 'complaint_closures.complaint_id')
      .leftJoin('public_complaints', 'public_complaints.id', 'complaints.public_complaint_id')
      .select([
        'complaint_closures.carer_id',
        'complaint_closures.review_on',
        'carers.title',
        'carers.given_name',
        'carers.family_name',
        'public_complaints.id as public_id',
        'public_complaints.name as public_name',
      ])
      .where('complaint_closures.school_id', '=', schoolId)
      .where('complaint_closures.reviewed_at', 'is', null)
      .where('complaint_closures.review_on', '<=', until)
      .execute(),
  ]);
  const due: ReviewDue[] = [
    ...arrangements.map((a) => ({
      carerId: a.carer_id,
      carerName: name(a),
      what: a.kind === 'single_contact' ? 'single point of contact' : 'ban from the premises',
      reviewOn: a.review_on,
      state: reviewState(a.review_on, today),
      link: `/carers/${a.carer_id}/conduct`,
    })),
    ...closures.map((c) => ({
      carerId: c.carer_id,
      carerName: c.carer_id ? name({ title: c.title, given_name: c.given_name ?? '', family_name: c.family_name ?? '' }) : `${c.public_name ?? ''} (public form)`,
      what: 'closed complaint',
      reviewOn: c.review_on,
      state: reviewState(c.review_on, today),
      link: c.carer_id ? `/carers/${c.carer_id}/conduct` : `/complaints/public/${c.public_id}`,
    })),
  ];
  return due.sort((a, b) => a.reviewOn.localeCompare(b.reviewOn));
}

/** Carers with anything recorded: for the head's list, with what is in force and the next review. */
export async function conductList(db: Db, schoolId: string) {
  const [incidents, arrangements] = await Promise.all([
    db
      .selectFrom('conduct_incidents')
      .select(['carer_id'])
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('happened_on').as('last')])
      .where('school_id', '=', schoolId)
      .groupBy('carer_id')
      .execute(),
    db.selectFrom('conduct_arrangements').select(['carer_id', 'kind', 'review_on']).where('school_id', '=', schoolId).where('ended_at', 'is', null).execute(),
  ]);
  const ids = [...new Set([...incidents.map((i) => i.carer_id), ...arrangements.map((a) => a.carer_id)])];
  if (ids.length === 0) return [];
  const carers = await db.selectFrom('carers').select(['id', 'title', 'given_name', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', ids).execute();
  return carers
    .map((c) => {
      const mine = arrangements.filter((a) => a.carer_id === c.id);
      const inc = incidents.find((i) => i.carer_id === c.id);
      return {
        id: c.id,
        name: name(c),
        incidents: Number(inc?.count ?? 0),
        lastIncident: (inc?.last as LocalDate | undefined) ?? null,
        inForce: mine.map((a) => a.kind),
        nextReview: mine.map((a) => a.review_on).sort()[0] ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
