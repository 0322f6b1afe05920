import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { sendCsv } from '../../platform/web/csv.ts';
import { audit } from '../../platform/audit/audit.ts';
import { markAlertsSeen } from '../../platform/alerts/alerts.ts';
import { auditSafeguardingViews, readsSafeguarding, safeguardingReadings } from '../../platform/safeguarding/safeguarding.ts';
import { CONTACT_KINDS, ContactForm, NOTE_MAX, contactsLink, contactsMarkedLater, markContactSafeguarding, recordContact } from './contacts.ts';
import { familyReach } from './family-reach-queries.ts';
import { CONTACT_KIND_LABELS, MAX_WEEKS, NO_ANSWER, attemptsText, REACH_ROLES, balanceText, dateIn, dateTimeIn, lastReachedText, parseWeeks, reasonLines, weeksText } from './family-reach.ts';
import { childrenOfCarers, notReachedList, type NotReachedChild } from './not-reached-queries.ts';

const V = 'features/messages/views';

const reachers = staff(REACH_ROLES);

const WEEK_OPTIONS = Array.from({ length: MAX_WEEKS }, (_, i) => ({ value: String(i + 1), text: i === 0 ? '1 week' : `${i + 1} weeks` }));

/** A number to ring: digits and a leading + only, for a tel: link. */
function phoneOf(mobile: string | null): { text: string; href: string } | null {
  if (!mobile?.trim()) return null;
  const digits = mobile.replace(/[^\d+]/g, '');
  return digits ? { text: mobile.trim(), href: `tel:${digits}` } : null;
}

function childrenText(children: NotReachedChild[]): string {
  return children.map((c) => (c.className ? `${c.name} (${c.className})` : c.name)).join(', ');
}

function languageText(language: string, interpreterNeeded: boolean): string | null {
  if (language === 'English' && !interpreterNeeded) return null;
  return interpreterNeeded ? `${language} (needs an interpreter)` : language;
}

export function notReachedRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;

  async function carerOf(request: FastifyRequest) {
    const user = request.user as StaffUser;
    const { carerId } = request.params as { carerId: string };
    const carer = await db
      .selectFrom('carers')
      .select(['id', 'title', 'given_name', 'family_name', 'mobile', 'email', 'preferred_language', 'interpreter_needed'])
      .where('id', '=', carerId)
      .where('school_id', '=', user.schoolId)
      .executeTakeFirst();
    if (!carer) throw notFound();
    const links = await childrenOfCarers(db, user.schoolId, [carer.id], request.scope.today);
    const children = links.filter((l) => !l.restricted && l.may_receive_information).map((l) => ({ name: `${l.preferred_name ?? l.given_name} ${l.family_name}`, className: l.class_name ?? '' }));
    return {
      ...carer,
      name: `${carer.given_name} ${carer.family_name}`,
      phone: phoneOf(carer.mobile),
      language: languageText(carer.preferred_language, carer.interpreter_needed === 1),
      childList: children,
      restricted: links.some((l) => l.restricted),
    };
  }

  /** The families not reached in the chosen number of weeks, in words: the page and its CSV download. */
  async function notReachedFamilies(request: FastifyRequest) {
    const user = request.user as StaffUser;
    const weeks = parseWeeks((request.query as { weeks?: string }).weeks);
    const now = clock();
    const date = dateIn(request.school?.time_zone ?? 'Europe/London');
    const list = await notReachedList(db, user.schoolId, { now, today: request.scope.today, timeZone: request.school?.time_zone ?? 'Europe/London' }, weeks);
    const families = list.families.map((f) => ({
      carerId: f.carerId,
      name: f.name,
      reasons: reasonLines(f.reasons, weeks, date),
      lastReached: lastReachedText(f.reached, now, date),
      children: childrenText(f.children),
      childList: f.children,
      restricted: f.restricted,
      phone: phoneOf(f.mobile),
      email: f.email,
      language: languageText(f.language, f.interpreterNeeded),
      balance: balanceText(f),
      attempts: f.attempts ? { text: attemptsText(f.attempts, f.reached, now, date), by: f.attempts.lastBy } : null,
    }));
    return { weeks, families, list };
  }

  app.get('/reach/not-reached.csv', { config: { policy: reachers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { weeks, families } = await notReachedFamilies(request);
    await audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'export.downloaded', entity: 'export', entityId: 'not_reached', after: { what: 'not_reached', rows: families.length, filter: { weeks } } },
      clock(),
    );
    return sendCsv(
      reply,
      `not-reached-${weeks}-weeks-${request.scope.today}`,
      ['Parent or carer', 'Children', 'Mobile', 'Email', 'Language', 'Last reached', 'Tried with no answer', 'Why they are on this list', 'Good news and concerns', 'Restriction in force for a child'],
      families.map((f) => [
        f.name,
        f.children,
        f.phone?.text,
        f.email,
        f.language,
        f.lastReached,
        f.attempts ? `${f.attempts.text}, by ${f.attempts.by}` : '',
        f.reasons.join('; '),
        f.balance,
        f.restricted ? 'Yes: that child is not listed' : 'No',
      ]),
    );
  });

  app.get('/reach/not-reached', { config: { policy: reachers } }, async (request, reply) => {
    const query = request.query as { weeks?: string; recorded?: string; tried?: string; safeguarding?: string };
    const { weeks, families, list } = await notReachedFamilies(request);
    const recorded = typeof query.recorded === 'string' ? list.nameOf(query.recorded) : null;
    const tried = typeof query.tried === 'string' ? list.nameOf(query.tried) : null;
    return reply.page(`${V}/not-reached.njk`, {
      title: 'Families not reached',
      weeks,
      weeksText: weeksText(weeks),
      weekOptions: WEEK_OPTIONS.map((o) => ({ ...o, selected: o.value === String(weeks) })),
      families,
      recorded,
      tried,
      passedToDsl: !!recorded && query.safeguarding === '1',
    });
  });

  const formPage = (carer: Awaited<ReturnType<typeof carerOf>>, weeks: number, values: Record<string, unknown>, errors?: Record<string, string>) => ({
    title: `Record a contact with ${carer.name}`,
    carer,
    weeks,
    values,
    errors,
    noteMax: NOTE_MAX,
    kinds: CONTACT_KINDS.flatMap((k) => [
      ...(k === NO_ANSWER ? [{ divider: 'or' }] : []),
      {
        value: k,
        text: CONTACT_KIND_LABELS[k],
        checked: values.kind === k,
        hint: k === NO_ANSWER ? { text: 'Nobody picked up, or nobody was in. They stay on the list, and the list shows that you tried.' } : undefined,
      },
    ]),
  });

  app.get('/carers/:carerId/contacts/new', { config: { policy: reachers } }, async (request, reply) => {
    const carer = await carerOf(request);
    const weeks = parseWeeks((request.query as { weeks?: string }).weeks);
    return reply.page(`${V}/contact-new.njk`, formPage(carer, weeks, { form_id: newId() }));
  });

  app.post('/carers/:carerId/contacts/new', { config: { policy: reachers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const carer = await carerOf(request);
    const weeks = parseWeeks((request.body as { weeks?: string } | undefined)?.weeks);
    const form = parseForm(ContactForm, request.body);
    if (!form.ok) {
      const values = { ...form.values, form_id: typeof form.values.form_id === 'string' && !form.errors.form_id ? form.values.form_id : newId() };
      return reply.code(400).page(`${V}/contact-new.njk`, formPage(carer, weeks, values, form.errors));
    }
    await recordContact(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, carer.id, form.data, clock(), config.baseUrl);
    if (form.data.safeguarding) deps.pokeOutbox();
    const said = form.data.kind === NO_ANSWER ? 'tried' : 'recorded';
    const passed = form.data.safeguarding ? '&safeguarding=1' : '';
    return reply.redirect(`/reach/not-reached?weeks=${weeks}&${said}=${encodeURIComponent(carer.id)}${passed}`, 303);
  });

  /**
   * The family's reach, with the calls and conversations recorded. A note marked as a safeguarding
   * concern is read by the DSL and deputies only (each reading audited, with who has read it shown
   * under it); its writer keeps a trace that they passed it on; other staff see the contact without
   * its words. Opening the page marks the reader's alerts for it seen.
   */
  app.get('/carers/:carerId/reach', { config: { policy: reachers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const carer = await carerOf(request);
    const weeks = parseWeeks((request.query as { weeks?: string }).weeks);
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    const now = clock();
    const dsl = readsSafeguarding(user.roles);
    const reach = await familyReach(db, user.schoolId, carer.id, now, { weeks, timeZone, reader: { staffId: user.id, readsSafeguarding: dsl } });
    const seen = reach.contacts.filter((c) => c.safeguarding && c.note !== null).map((c) => c.id);
    await Promise.all([
      markAlertsSeen(db, user.schoolId, user.id, contactsLink(carer.id), now),
      auditSafeguardingViews(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, user.schoolId, 'contact', seen, { carer_id: carer.id }, now),
    ]);
    // Read after this reading is audited, so the list includes the person looking at it.
    const readings = await safeguardingReadings(db, user.schoolId, 'contact', seen);
    // What the writer, or whoever passed it on, keeps of a note the DSL now holds: when, never the words.
    const hidden = reach.contacts.filter((c) => c.note === null);
    const marks = await contactsMarkedLater(
      db,
      user.schoolId,
      hidden.map((c) => c.id),
    );
    const passedOn = (c: (typeof reach.contacts)[number]) => {
      if (c.note !== null) return null;
      const mark = marks.get(c.id);
      const byMe = (mark ? mark.by : c.mine ? user.id : null) === user.id;
      return byMe || c.mine ? { byMe, passedAt: mark ? mark.at : c.at, writtenAt: c.at } : null;
    };
    const done = (request.query as { done?: string }).done;
    const date = dateIn(timeZone);
    const when = dateTimeIn(timeZone);
    return reply.page(`${V}/not-reached-family.njk`, {
      title: `Reach: ${carer.name}`,
      carer,
      reach,
      weeks,
      messages: reach.messages.map((m) => ({ ...m, sentText: when(m.sentAt), readText: m.readAt ? when(m.readAt) : null })),
      contacts: reach.contacts.map((c) => ({ ...c, kindText: CONTACT_KIND_LABELS[c.kind], atText: when(c.at), passedOn: passedOn(c) })),
      passedToDsl: done === 'safeguarding',
      readings,
      failureLines: reasonLines([{ kind: 'contact_failed', failures: reach.failures }], weeks, date),
    });
  });

  app.post('/carers/:carerId/contacts/:contactId/safeguarding', { config: { policy: reachers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const carer = await carerOf(request);
    const { contactId } = request.params as { contactId: string };
    const marked = await markContactSafeguarding(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, carer.id, contactId, clock(), config.baseUrl);
    if (marked === 'missing') throw notFound();
    if (marked === 'marked') deps.pokeOutbox();
    return reply.redirect(`${contactsLink(carer.id)}?done=safeguarding`, 303);
  });
}
