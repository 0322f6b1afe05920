import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { MessageTable } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/database.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, REACH_ROLES, WHOLE_SCHOOL_ROLES, type StaffUser } from '../../platform/access/roles.ts';
import { pupilsVisibleTo } from '../../platform/access/scope.ts';
import { audit } from '../../platform/audit/audit.ts';
import { DateTime } from 'luxon';
import { localDate, schoolLocalInstant } from '../../platform/calendar/time.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { parseForm } from '../../platform/web/forms.ts';
import { classesOfSchool, classesTaughtBy, YEAR_GROUP_LABELS, YEAR_GROUPS } from '../people/index.ts';
import { Audience, describeAudience, KIND_LABELS } from './audience.ts';
import { COMPOSERS, ComposeForm, mayAddress, type Compose } from './compose.ts';
import { carerNames, childFactsOf, groupsOf, getMessage, listMessages, reachOf } from './queries.ts';
import { translationsWithNames } from './translation-queries.ts';
import { recipientsFor } from './recipient-queries.ts';
import { channelCounts, LEFT_OUT_WORDS, leftOutShown, waysOfGetting } from './recipients.ts';
import { sendMessage } from './send.ts';
import { smsParts, smsProblem, textsCanGo } from '../../platform/channels/sms.ts';
import { withoutTexts } from './texts.ts';
import { smsText, usableTranslation, type Translation } from './content.ts';
import { readByGroup, summariseReach } from './reach.ts';
import { mayOpenMessage } from './message-access.ts';
import { reachExportRoutes } from './reach-export-routes.ts';
import { adviceFor, TARGET_SCORE } from './clear-language.ts';
import { glossaryFor } from './glossary-queries.ts';

const V = 'features/messages/views';
const composers = staff(COMPOSERS);

export function messageRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  reachExportRoutes(app, deps);

  async function reachOfUser(request: FastifyRequest) {
    const user = request.user as StaffUser;
    const taught = (await classesTaughtBy(db, user.id)).map((c) => c.id);
    const visible = await db
      .selectFrom('pupils')
      .select('id')
      .where(pupilsVisibleTo(user, request.scope.today, request.scope.teachersSeeAllPupils))
      .execute();
    return { taughtClassIds: taught, visiblePupilIds: new Set(visible.map((p) => p.id)) };
  }

  async function formContext(request: FastifyRequest, pupilIds: string[] = []) {
    const user = request.user as StaffUser;
    const leader = hasAnyRole(user, ['head', 'senior_leader', 'office']);
    const classes = leader ? await classesOfSchool(db, user.schoolId) : await classesTaughtBy(db, user.id);
    const pupils = pupilIds.length
      ? await db.selectFrom('pupils').select(['id', 'given_name', 'preferred_name', 'family_name']).where('id', 'in', pupilIds).where('school_id', '=', user.schoolId).execute()
      : [];
    return {
      kinds: Object.entries(KIND_LABELS).filter(([k]) => k !== 'urgent' || leader),
      leader,
      classes,
      groups: await groupsOf(db, user.schoolId),
      years: YEAR_GROUPS.filter((y) => ['N', 'R', '1', '2', '3', '4', '5', '6'].includes(y)).map((y) => ({ value: y, text: YEAR_GROUP_LABELS[y] })),
      pupils,
    };
  }

  /** A message this person may look at: leaders and pastoral staff see all; others their own. */
  async function messageFor(request: FastifyRequest, messageId: string): Promise<MessageTable> {
    const user = request.user as StaffUser;
    const message = await getMessage(db, user.schoolId, messageId);
    if (!message) throw notFound();
    if (!mayOpenMessage(user, message)) throw notFound();
    return message;
  }

  function schedule(form: Compose, timeZone: string, now: Date): { at: string | null; error?: Record<string, string> } {
    if (!form.send_date || !form.send_time) return { at: null };
    const r = schoolLocalInstant(form.send_date, form.send_time, timeZone);
    if (!r.ok) {
      const words = {
        invalid: { send_time: 'Enter a real time, like 18:00' }, // the date was read by dateField: only the time can be wrong
        skipped: { send_date: 'The clocks go forward then, so that time does not exist: choose another time' },
        twice: { send_date: 'The clocks go back then, so that time happens twice: choose another time' },
      };
      return { at: null, error: words[r.reason] };
    }
    if (r.instant <= now.toISOString()) return { at: null, error: { send_date: 'The time to send it must be in the future' } };
    return { at: r.instant };
  }

  app.get('/messages', { config: { policy: composers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const rows = await listMessages(db, user.schoolId, hasAnyRole(user, WHOLE_SCHOOL_ROLES) ? null : user.id);
    return reply.page(`${V}/list.njk`, { title: 'Messages', rows, kinds: KIND_LABELS, canChangeSettings: hasAnyRole(user, ['head']) });
  });

  app.get('/messages/new', { config: { policy: composers, queryLists: ['pupil'] } }, async (request, reply) => {
    const q = request.query as { kind?: string; pupil?: string | string[]; class?: string };
    const pupilIds = q.pupil ? [q.pupil].flat().slice(0, 60) : [];
    const values = {
      kind: q.kind ?? (pupilIds.length ? 'individual' : 'newsletter'),
      tone: 'information',
      audience_kind: pupilIds.length ? 'pupils' : q.class ? 'classes' : 'school',
      pupil_ids: pupilIds,
      class_ids: q.class ? [q.class] : [],
      form_id: newId(),
    };
    return reply.page(`${V}/compose.njk`, { title: 'Write a message', values, action: '/messages/new', ...(await formContext(request, pupilIds)) });
  });

  async function saveDraft(request: FastifyRequest, existing: MessageTable | null) {
    const user = request.user as StaffUser;
    const form = parseForm(ComposeForm, request.body);
    const title = existing ? 'Change the message' : 'Write a message';
    const action = existing ? `/messages/${existing.id}/edit` : '/messages/new';
    const values = form.ok ? request.body : form.values;
    const bodyPupils = [(request.body as { pupil_ids?: string | string[] }).pupil_ids ?? []].flat();
    const again = async (errors: Record<string, string>) => ({ errors, values, title, action, ...(await formContext(request, bodyPupils)) });
    if (!form.ok) return { page: await again(form.errors) };
    const refusal = mayAddress(user, form.data.kind, form.data.audience, await reachOfUser(request));
    if (refusal) return { page: await again({ audience_kind: refusal }) };
    const when = schedule(form.data, request.school!.time_zone, clock());
    if (when.error) return { page: await again(when.error) };
    const now = clock().toISOString();
    const fields = {
      kind: form.data.kind,
      tone: form.data.kind === 'praise' ? ('good_news' as const) : form.data.tone,
      subject: form.data.subject,
      body: form.data.body,
      audience_json: JSON.stringify(form.data.audience),
      asks_acknowledgement: form.data.asks_acknowledgement,
      scheduled_for: when.at,
      updated_at: now,
    };
    // A new draft takes the id its form was drawn with, so a second press of "Save" finds it saved.
    const formId = existing ? null : draftFormId(request.body);
    const id = existing?.id ?? formId ?? newId();
    const savedBefore = async () => {
      const found = formId ? await db.selectFrom('messages').select(['id', 'created_by']).where('id', '=', formId).where('school_id', '=', user.schoolId).executeTakeFirst() : undefined;
      return found?.created_by === user.id;
    };
    if (formId && (await savedBefore())) return { id };
    try {
      await saveInTransaction();
    } catch (error) {
      if (!formId || !isUniqueViolation(error)) throw error;
      if (await savedBefore()) return { id };
      throw new AppError('conflict', 'This form has expired. Go back, refresh the page and try again.');
    }
    return { id };

    async function saveInTransaction() {
      await db.transaction().execute(async (trx) => {
        if (existing) {
          const r = await trx.updateTable('messages').set(fields).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) throw new AppError('conflict', 'This message has already been sent or scheduled, so it cannot be changed.');
          // The English changed: translations must be checked again.
          await trx.updateTable('message_translations').set({ status: 'written', checked_by: null }).where('message_id', '=', id).where('status', '=', 'checked').execute();
        } else {
          await trx
            .insertInto('messages')
            .values({ id, school_id: user.schoolId, status: 'draft', sent_at: null, created_by: user.id, created_at: now, ...fields })
            .execute();
        }
        await audit(
          trx,
          { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
          { schoolId: user.schoolId, action: existing ? 'message.changed' : 'message.drafted', entity: 'message', entityId: id, after: { kind: fields.kind, subject: fields.subject } },
          clock(),
        );
      });
    }
  }

  app.post('/messages/new', { config: { policy: composers } }, async (request, reply) => {
    const saved = await saveDraft(request, null);
    if ('page' in saved) return reply.code(400).page(`${V}/compose.njk`, saved.page!);
    return reply.redirect(`/messages/${saved.id}`, 303);
  });

  app.get('/messages/:messageId/edit', { config: { policy: composers } }, async (request, reply) => {
    const message = await messageFor(request, (request.params as { messageId: string }).messageId);
    if (message.status !== 'draft') return reply.redirect(`/messages/${message.id}`, 303);
    const audience = Audience.parse(JSON.parse(message.audience_json));
    const values = {
      ...message,
      audience_kind: audience.kind,
      years: audience.kind === 'years' ? audience.years : [],
      class_ids: audience.kind === 'classes' ? audience.classIds : [],
      group_id: audience.kind === 'group' ? audience.groupId : '',
      pupil_ids: audience.kind === 'pupils' ? audience.pupilIds : [],
      ...sendLaterValues(message.scheduled_for, request.school!.time_zone),
    };
    return reply.page(`${V}/compose.njk`, { title: 'Change the message', values, action: `/messages/${message.id}/edit`, ...(await formContext(request, values.pupil_ids)) });
  });

  app.post('/messages/:messageId/edit', { config: { policy: composers } }, async (request, reply) => {
    const message = await messageFor(request, (request.params as { messageId: string }).messageId);
    const saved = await saveDraft(request, message);
    if ('page' in saved) return reply.code(400).page(`${V}/compose.njk`, saved.page!);
    return reply.redirect(`/messages/${message.id}`, 303);
  });

  app.get('/messages/:messageId', { config: { policy: composers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const message = await messageFor(request, (request.params as { messageId: string }).messageId);
    const audience = Audience.parse(JSON.parse(message.audience_json));
    const [classes, groups, translations] = await Promise.all([classesOfSchool(db, user.schoolId), groupsOf(db, user.schoolId), translationsWithNames(db, message.id)]);
    const pupilNames = audience.kind === 'pupils' ? await db.selectFrom('pupils').select(['id', 'given_name', 'family_name']).where('id', 'in', audience.pupilIds).execute() : [];
    const audienceText = describeAudience(audience, {
      classes: new Map(classes.map((c) => [c.id, c.name])),
      groups: new Map(groups.map((g) => [g.id, g.name])),
      pupils: new Map(pupilNames.map((p) => [p.id, `${p.given_name} ${p.family_name}`])),
    });
    const textsOff = message.kind === 'urgent' && !textsCanGo(deps.config);
    const canChangeSettings = hasAnyRole(user, ['head']);
    const base = { title: message.subject, message, audienceText, kinds: KIND_LABELS, translations, sent: (request.query as { sent?: string }).sent, textsOff, canChangeSettings };
    if (message.status === 'sent') {
      const reach = await reachOf(db, message.id);
      const children = await childFactsOf(
        db,
        user.schoolId,
        reach.recipients.flatMap((r) => r.pupil_ids.split(',')),
      );
      return reply.page(`${V}/message.njk`, {
        ...base,
        reach: summariseReach(reach.recipients, reach.sends, message.kind),
        byGroup: readByGroup(reach.recipients, children, message.kind),
        mayListNotReached: hasAnyRole(user, REACH_ROLES),
        recipients: reach.recipients,
      });
    }
    const resolved = await recipientsFor(db, user.schoolId, message.kind, audience, request.scope.today);
    const { leftOut } = resolved;
    // Newsletters and letters to carers with a mobile but no email: by text with a link when the school
    // chose texts and a text service is set up; otherwise on paper (and the preview says why).
    const linkTextsOff = message.kind !== 'urgent' && !textsCanGo(deps.config) && resolved.recipients.some((r) => r.channels.includes('sms'));
    const { recipients, onlyByText } = textsOff || linkTextsOff ? withoutTexts(resolved.recipients, message.kind) : { recipients: resolved.recipients, onlyByText: [] };
    const mobileOnly = recipients.filter((r) => r.mobileOnly);
    const onPaper = recipients.filter((r) => r.channels.includes('paper'));
    const languages = [...new Set(recipients.map((r) => r.language))].filter((l) => l !== 'English').sort();
    // Say only what is true: readers of a language with a translation get it; the others get English with a help line.
    const usable = (language: string) => usableTranslation(translations as Translation[], language);
    const translated = languages
      .filter((l) => usable(l))
      .map((l) => ({ language: l, machine: usable(l)!.source === 'machine' && usable(l)!.status !== 'checked', checked: usable(l)!.status === 'checked' }));
    const untranslated = languages.filter((l) => !usable(l));
    const text = smsText(message, request.school!.name);
    const parts = smsParts(text);
    const texts = channelCounts(recipients).sms;
    const sms = message.kind === 'urgent' && !textsOff ? { ...parts, problem: smsProblem(text), cost: ((parts.parts * texts * deps.config.sms.pencePerPart) / 100).toFixed(2) } : null;
    const advice = adviceFor(`${message.subject}.\n${message.body}`, await glossaryFor(db, user.schoolId));
    return reply.page(`${V}/message.njk`, {
      ...base,
      advice,
      target: TARGET_SCORE,
      preview: {
        count: recipients.length,
        channels: channelCounts(recipients),
        ways: waysOfGetting(recipients, message.kind),
        leftOut: leftOutShown(leftOut.map((l) => ({ ...l, why: LEFT_OUT_WORDS[l.reason] }))),
        languages,
        translated,
        untranslated,
        sms,
        phoneInstead: await carerNames(
          db,
          user.schoolId,
          onlyByText.map((r) => r.carerId),
        ),
        paperNames: await carerNames(
          db,
          user.schoolId,
          onPaper.map((r) => r.carerId),
        ),
        mobileOnly:
          mobileOnly.length > 0 ? { count: mobileOnly.length, byText: mobileOnly.filter((r) => r.channels.includes('sms')).length, chosen: resolved.mobileOnlyLetters, textsOff: linkTextsOff } : null,
      },
    });
  });

  app.post('/messages/:messageId/send', { config: { policy: composers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const message = await messageFor(request, (request.params as { messageId: string }).messageId);
    if (message.status === 'sent') return reply.redirect(`/messages/${message.id}`, 303);
    const refusal = mayAddress(user, message.kind, Audience.parse(JSON.parse(message.audience_json)), await reachOfUser(request));
    if (refusal) throw new AppError('bad_request', refusal);
    const now = clock();
    if (message.scheduled_for && (request.body as { when?: string }).when === 'later') {
      if (message.scheduled_for <= now.toISOString()) throw new AppError('bad_request', 'The time to send it has passed: change the message and choose a new time.');
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('messages').set({ status: 'scheduled', updated_at: now.toISOString() }).where('id', '=', message.id).where('status', '=', 'draft').execute();
        await audit(
          trx,
          { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
          { schoolId: user.schoolId, action: 'message.scheduled', entity: 'message', entityId: message.id, after: { scheduled_for: message.scheduled_for } },
          now,
        );
      });
      return reply.redirect(`/messages/${message.id}?sent=scheduled`, 303);
    }
    await sendMessage(db, { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip }, user.schoolId, message.id, {
      baseUrl: deps.config.baseUrl,
      schoolName: request.school!.name,
      today: request.scope.today,
      now,
      textsCanGo: textsCanGo(deps.config),
    });
    deps.pokeOutbox();
    return reply.redirect(`/messages/${message.id}?sent=now`, 303);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id a compose form was drawn with (one value, shaped like an id), or null. */
function draftFormId(body: unknown): string | null {
  const value = (body as { form_id?: unknown } | undefined)?.form_id;
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

/** A draft's chosen send time back in the form (the date in its three boxes), so saving it again keeps it. */
function sendLaterValues(scheduledFor: string | null, timeZone: string): { send_date?: string; send_time?: string } {
  if (!scheduledFor) return {};
  const at = new Date(scheduledFor);
  return { send_date: localDate(at, timeZone), send_time: DateTime.fromJSDate(at, { zone: timeZone }).toFormat('HH:mm') };
}
