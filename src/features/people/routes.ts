import { whoMayHear } from '../../platform/access/hear.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { YearGroup } from '../../db/schema.ts';
import { carers, staff } from '../../platform/access/policy.ts';
import { CAPABILITIES, can, EVENING_LEADERS, hasAnyRole, REACH_ROLES, WHOLE_SCHOOL_ROLES, type StaffUser, type User } from '../../platform/access/roles.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { audit, type Actor } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { issueSignInCode } from '../../platform/auth/sign-in-tokens.ts';
import * as q from './queries.ts';
import { addRestriction, liftRestriction, updateCarer, updateLink, updatePupil } from './commands.ts';
import { whatItStops } from './restrictions.ts';
import { restrictionRoutes } from './restriction-routes.ts';
import { peopleExportRoutes } from './export-routes.ts';
import { carerForm, linkForm, pupilForm, restrictionForm } from './forms.ts';
import { COMMON_LANGUAGES, RELATIONSHIP_LABELS, SEND_LABELS, YEAR_GROUP_LABELS, YEAR_GROUPS } from './validation.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { textForCarer, textForSchool } from '../../platform/i18n/plugin.ts';
import { dateIn, instantIn } from '../../platform/i18n/dates.ts';

const V = 'features/people/views';
const seeingPupils = staff([...WHOLE_SCHOOL_ROLES, 'teacher'], 'own_classes');
const editing = staff(CAPABILITIES.editPeople);
const restricting = staff(CAPABILITIES.manageRestrictions, 'restricted');

function actorOf(request: FastifyRequest): Actor {
  const user = request.user!;
  return { kind: user.kind, id: user.id, schoolId: user.schoolId, ip: request.ip };
}
function pageOf(raw: unknown): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 10_000 ? n : 1;
}
const labels = { years: YEAR_GROUP_LABELS, send: SEND_LABELS, relationships: RELATIONSHIP_LABELS };

/**
 * What the carer page shows from features built on top of people (how well the school reaches the
 * family; the parents' evenings the office can book for them). app.ts passes them in, so people
 * never imports a feature that imports people.
 */
export type CarerPageSections = {
  familyReach: (db: FeatureDeps['db'], schoolId: string, carerId: string, now: Date, options: { timeZone: string }) => Promise<unknown>;
  eveningsStillToCome: (db: FeatureDeps['db'], schoolId: string, today: string) => Promise<{ id: string; name: string }[]>;
  /** On a carer's page about one child: whether to show the way to the child's profile. */
  carerMayReadProfile: (db: FeatureDeps['db'], q: { schoolId: string; carerId: string; pupilId: string; today: string }) => Promise<boolean>;
  /** On a carer's page about one child: the child's attendance, when the school has a figure and the carer may hear it (features/attendance). */
  childAttendance: (
    db: FeatureDeps['db'],
    q: { schoolId: string; carerId: string; pupilId: string; today: string },
  ) => Promise<{ share: number; asOf: string; band: 'severe' | 'persistent' | 'ok' } | null>;
};

export function peopleRoutes(app: FastifyInstance, deps: FeatureDeps, sections: CarerPageSections): void {
  const { db, clock } = deps;
  const { familyReach, eveningsStillToCome, carerMayReadProfile, childAttendance } = sections;
  restrictionRoutes(app, deps);
  peopleExportRoutes(app, deps);

  app.get('/pupils', { config: { policy: seeingPupils } }, async (request, reply) => {
    const user = request.user!;
    const query = request.query as { q?: string; year?: string; class?: string; page?: string };
    const year = YEAR_GROUPS.includes(query.year as YearGroup) ? (query.year as YearGroup) : undefined;
    const filter = { q: query.q?.slice(0, 100), year, classId: query.class || undefined, page: pageOf(query.page) };
    const { rows, total } = await q.listPupils(db, user, request.scope, filter);
    const classes = await q.classesOfSchool(db, user.schoolId);
    return reply.page(`${V}/pupils.njk`, { title: 'Pupils', rows, total, filter, classes, labels, yearGroups: YEAR_GROUPS, pageSize: q.PAGE_SIZE });
  });

  app.get('/pupils/:pupilId', { config: { policy: seeingPupils } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await q.getPupil(db, user.schoolId, pupilId);
    if (!pupil) throw notFound();
    const [family, teachers, restrictions] = await Promise.all([
      q.familyOfPupil(db, user.schoolId, pupilId),
      q.teachersOfClass(db, pupil.class_id),
      q.restrictionsOnPupil(db, user.schoolId, pupilId, request.scope.today),
    ]);
    const readDetails = can(user, 'readRestrictionDetails');
    if (readDetails && restrictions.length > 0) {
      // Who read a court order's details is itself a record.
      await audit(db, actorOf(request), { schoolId: user.schoolId, action: 'restriction.viewed', entity: 'pupil', entityId: pupilId }, clock());
    }
    const restrictedCarers = new Set(restrictions.map((r) => r.carer_id));
    return reply.page(`${V}/pupil.njk`, {
      title: `${pupil.preferred_name ?? pupil.given_name} ${pupil.family_name}`,
      pupil,
      family: family.map((f) => ({ ...f, restricted: restrictedCarers.has(f.id) })),
      teachers,
      restrictions: restrictions.map((r) => ({ ...r, stopsText: whatItStops(r), details: readDetails ? r.details : null })),
      labels,
      canEdit: can(user, 'editPeople'),
      canRestrict: can(user, 'manageRestrictions'),
      saved: (request.query as { saved?: string }).saved,
    });
  });

  app.get('/pupils/:pupilId/edit', { config: { policy: editing } }, async (request, reply) => {
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await q.getPupil(db, request.user!.schoolId, pupilId);
    if (!pupil) throw notFound();
    return reply.page(`${V}/pupil-edit.njk`, { title: 'Change pupil details', pupil, values: pupil, ...(await pupilFormContext(request.user!)) });
  });

  app.post('/pupils/:pupilId/edit', { config: { policy: editing } }, async (request, reply) => {
    const user = request.user!;
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await q.getPupil(db, user.schoolId, pupilId);
    if (!pupil) throw notFound();
    const form = parseForm(pupilForm(request.scope.today), request.body);
    if (!form.ok) return reply.code(400).page(`${V}/pupil-edit.njk`, { title: 'Change pupil details', pupil, values: form.values, errors: form.errors, ...(await pupilFormContext(user)) });
    const { updated_at, ...changes } = form.data;
    if (changes.class_id && !(await q.classesOfSchool(db, user.schoolId)).some((c) => c.id === changes.class_id)) throw notFound();
    await updatePupil(db, actorOf(request), user.schoolId, pupilId, updated_at, changes, clock());
    return reply.redirect(`/pupils/${pupilId}?saved=pupil`, 303);
  });

  async function pupilFormContext(user: User) {
    return { classes: await q.classesOfSchool(db, user.schoolId), yearGroups: YEAR_GROUPS, labels, languages: COMMON_LANGUAGES };
  }

  app.get('/pupils/:pupilId/links/:linkId/edit', { config: { policy: editing } }, async (request, reply) => {
    const { pupilId, linkId } = request.params as { pupilId: string; linkId: string };
    const { pupil, link } = await pupilAndLink(request, pupilId, linkId);
    return reply.page(`${V}/link-edit.njk`, { title: `Change ${link.given_name} ${link.family_name}’s link`, pupil, link, values: link, labels });
  });

  app.post('/pupils/:pupilId/links/:linkId/edit', { config: { policy: editing } }, async (request, reply) => {
    const { pupilId, linkId } = request.params as { pupilId: string; linkId: string };
    const { pupil, link } = await pupilAndLink(request, pupilId, linkId);
    const form = parseForm(linkForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/link-edit.njk`, { title: `Change ${link.given_name} ${link.family_name}’s link`, pupil, link, values: form.values, errors: form.errors, labels });
    await updateLink(db, actorOf(request), request.user!.schoolId, linkId, form.data, clock());
    return reply.redirect(`/pupils/${pupilId}?saved=link`, 303);
  });

  async function pupilAndLink(request: FastifyRequest, pupilId: string, linkId: string) {
    const schoolId = request.user!.schoolId;
    const pupil = await q.getPupil(db, schoolId, pupilId);
    const link = (await q.familyOfPupil(db, schoolId, pupilId)).find((f) => f.link_id === linkId);
    if (!pupil || !link) throw notFound();
    return { pupil, link };
  }

  app.get('/pupils/:pupilId/restrictions/new', { config: { policy: restricting } }, async (request, reply) => {
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await q.getPupil(db, request.user!.schoolId, pupilId);
    if (!pupil) throw notFound();
    const family = await q.familyOfPupil(db, request.user!.schoolId, pupilId);
    return reply.page(`${V}/restriction-new.njk`, { title: 'Record a restriction', pupil, family, values: { starts_on: request.scope.today, stops: ['information', 'collection', 'contact'] } });
  });

  app.post('/pupils/:pupilId/restrictions/new', { config: { policy: restricting } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await q.getPupil(db, user.schoolId, pupilId);
    if (!pupil) throw notFound();
    const form = parseForm(restrictionForm, request.body);
    const family = await q.familyOfPupil(db, user.schoolId, pupilId);
    if (!form.ok) return reply.code(400).page(`${V}/restriction-new.njk`, { title: 'Record a restriction', pupil, family, values: form.values, errors: form.errors });
    if (!family.some((f) => f.id === form.data.carer_id)) throw notFound();
    const stops = new Set(form.data.stops);
    await addRestriction(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      user.schoolId,
      {
        pupilId,
        carerId: form.data.carer_id,
        kind: form.data.kind,
        stops_information: stops.has('information') ? 1 : 0,
        stops_collection: stops.has('collection') ? 1 : 0,
        stops_contact: stops.has('contact') ? 1 : 0,
        details: form.data.details,
        starts_on: form.data.starts_on,
        ends_on: form.data.ends_on,
      },
      clock(),
    );
    return reply.redirect(`/pupils/${pupilId}?saved=restriction`, 303);
  });

  app.post('/pupils/:pupilId/restrictions/:restrictionId/lift', { config: { policy: restricting } }, async (request, reply) => {
    const { pupilId, restrictionId } = request.params as { pupilId: string; restrictionId: string };
    await liftRestriction(db, actorOf(request), request.user!.schoolId, restrictionId, pupilId, clock());
    return reply.redirect(`/pupils/${pupilId}?saved=lifted`, 303);
  });

  app.get('/carers', { config: { policy: seeingPupils } }, async (request, reply) => {
    const query = request.query as { q?: string; page?: string };
    const filter = { q: query.q?.slice(0, 100), page: pageOf(query.page) };
    const { rows, total } = await q.listCarers(db, request.user!, request.scope, filter);
    return reply.page(`${V}/carers.njk`, { title: 'Parents and carers', rows, total, filter, pageSize: q.PAGE_SIZE });
  });

  app.get('/carers/:carerId', { config: { policy: seeingPupils } }, async (request, reply) => {
    const user = request.user!;
    const { carerId } = request.params as { carerId: string };
    const carer = await q.getCarer(db, user.schoolId, carerId);
    if (!carer) throw notFound();
    const children = await q.childrenOfCarer(db, user, request.scope, carerId);
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    const reach = await familyReach(db, user.schoolId, carerId, clock(), { timeZone });
    const today = localDate(clock(), timeZone);
    // One rule (platform/access/hear.ts): what a restriction stops is never offered on this page.
    const [portal, booking] = await Promise.all(
      (['portal', 'booking'] as const).map((purpose) => whoMayHear(db, { schoolId: user.schoolId, pupilIds: children.map((c) => c.id), carerIds: [carerId], purpose, today })),
    );
    const restricted = new Set(
      portal!
        .concat(booking!)
        .filter((a) => a.decision.may === false && a.decision.reason === 'restriction')
        .map((a) => a.pupilId),
    );
    const bookable = booking!.some((a) => a.decision.may);
    const evenings = bookable && hasAnyRole(user, EVENING_LEADERS) ? await eveningsStillToCome(db, user.schoolId, today) : [];
    return reply.page(`${V}/carer.njk`, {
      evenings,
      restricted: [...restricted],
      readsRestrictions: can(user, 'readRestrictionDetails'),
      reach,
      reachLinks: hasAnyRole(user, REACH_ROLES),
      title: `${carer.given_name} ${carer.family_name}`,
      carer,
      children,
      labels,
      canEdit: can(user, 'editPeople'),
      canIssueCode: can(user, 'issueSignInCodes'),
      // Behaviour towards staff (features/conduct): the head and senior leaders only.
      readsConduct: hasAnyRole(user, ['head', 'senior_leader']),
      saved: (request.query as { saved?: string }).saved,
    });
  });

  app.get('/carers/:carerId/edit', { config: { policy: editing } }, async (request, reply) => {
    const { carerId } = request.params as { carerId: string };
    const carer = await q.getCarer(db, request.user!.schoolId, carerId);
    if (!carer) throw notFound();
    return reply.page(`${V}/carer-edit.njk`, { title: 'Change carer details', carer, values: carer, languages: COMMON_LANGUAGES });
  });

  app.post('/carers/:carerId/edit', { config: { policy: editing } }, async (request, reply) => {
    const user = request.user!;
    const { carerId } = request.params as { carerId: string };
    const carer = await q.getCarer(db, user.schoolId, carerId);
    if (!carer) throw notFound();
    const form = parseForm(carerForm, request.body);
    if (!form.ok) return reply.code(400).page(`${V}/carer-edit.njk`, { title: 'Change carer details', carer, values: form.values, errors: form.errors, languages: COMMON_LANGUAGES });
    const { updated_at, ...changes } = form.data;
    await updateCarer(db, actorOf(request), user.schoolId, carerId, updated_at, changes, clock());
    return reply.redirect(`/carers/${carerId}?saved=carer`, 303);
  });

  app.post('/carers/:carerId/sign-in-code', { config: { policy: staff(CAPABILITIES.issueSignInCodes) } }, async (request, reply) => {
    const user = request.user!;
    const { carerId } = request.params as { carerId: string };
    const carer = await q.getCarer(db, user.schoolId, carerId);
    if (!carer) throw notFound();
    const now = clock();
    const { code, expiresAt } = await db.transaction().execute(async (trx) => {
      const issued = await issueSignInCode(trx, { id: carer.id, schoolId: user.schoolId }, user.id, now, deps.config.signInCodeDays);
      await audit(trx, actorOf(request), { schoolId: user.schoolId, action: 'carer.sign_in_code_issued', entity: 'carer', entityId: carer.id, after: { expires_at: issued.expiresAt } }, now);
      return issued;
    });
    // In the carer's language with English beside it (the school's own words in both).
    const own = await textForCarer(db, user.schoolId, carer.preferred_language, now);
    const english = await textForSchool(db, user.schoolId, 'en', now);
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    return reply.page(`${V}/sign-in-letter.njk`, {
      title: `Sign-in letter for ${carer.given_name} ${carer.family_name}`,
      carer,
      code,
      own,
      english,
      expiresOwn: instantIn(own.code, expiresAt, timeZone),
      expiresEnglish: instantIn('en', expiresAt, timeZone),
      signInUrl: absoluteLink(deps.config.baseUrl, '/sign-in/code'),
    });
  });

  // Carers: one child of their own (the guard has already checked the link and any restriction).
  app.get('/children/:pupilId', { config: { policy: carers } }, async (request, reply) => {
    const user = request.user!;
    const { pupilId } = request.params as { pupilId: string };
    const pupil = await q.getPupil(db, user.schoolId, pupilId);
    if (!pupil) throw notFound();
    const teachers = await q.teachersOfClass(db, pupil.class_id);
    const link = (await q.childrenOfCarer(db, user, request.scope, user.id)).find((c) => c.id === pupilId);
    const profile = await carerMayReadProfile(db, { schoolId: user.schoolId, carerId: user.id, pupilId, today: request.scope.today });
    const found = await childAttendance(db, { schoolId: user.schoolId, carerId: user.id, pupilId, today: request.scope.today });
    const attendance = found ? { ...found, asOf: dateIn(request.text.code, found.asOf), low: found.band !== 'ok' } : null;
    return reply.page(`${V}/child.njk`, { title: pupil.preferred_name ?? pupil.given_name, pupil, teachers, link, labels, profile, attendance });
  });
}
