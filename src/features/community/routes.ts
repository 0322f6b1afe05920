import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passedByMe } from '../../platform/safeguarding/words.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import { hasAnyRole, type StaffUser } from '../../platform/access/roles.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { YEAR_GROUP_LABELS } from '../people/index.ts';
import { carerSignedCurrentOn } from '../agreements/index.ts';
import { checkIn, recordMatch, withdrawMatch } from './buddy-commands.ts';
import { archiveSupport, endKeyWorker, recordWelcomeStep, saveSupport, setKeyWorker, type By } from './commands.ts';
import {
  CheckInForm,
  COMMUNITY_KEEPERS,
  COMMUNITY_LEADS,
  KeyWorkerForm,
  KIND_LABELS,
  MatchForm,
  matchState,
  STEP_LABELS,
  suggestBuddies,
  SupportForm,
  WELCOME_STEPS,
  welcomeChecklist,
  WelcomeStepForm,
  WithdrawMatchForm,
} from './community.ts';
import {
  buddyFamilies,
  carerName,
  carerOf,
  keyWorkerList,
  keyWorkerOf,
  matchById,
  matchesOf,
  openOptIns,
  staffChoices,
  supportEntries,
  supportEntry,
  welcomeFamilies,
  welcomeStepsOf,
} from './queries.ts';

const V = 'features/community/views';
const keepers = staff(COMMUNITY_KEEPERS);
const leads = staff(COMMUNITY_LEADS);

type Extra = { form?: string; errors?: FieldErrors; values?: Record<string, unknown>; done?: string };
const DONE: Record<string, string> = {
  matched: 'The match is recorded. Both families have been asked to say yes or no; neither sees the other’s details until both agree.',
  'checked-in': 'The check-in is recorded.',
  withdrawn: 'The match is withdrawn. Both families have been told; the new family can be matched with another buddy family.',
  'key-worker': 'The key worker is set. The family sees who it is on their home page, and their messages and meeting requests go to them first.',
  'key-worker-ended': 'The key worker arrangement has ended. The family’s messages and meeting requests go to the usual people again.',
  welcome: 'The step is recorded.',
  added: 'The entry is added to the directory.',
  changed: 'The entry is saved.',
  archived: 'The entry is taken out of the directory.',
};
const doneOf = (request: FastifyRequest) => DONE[String((request.query as { done?: unknown }).done ?? '')];

/** Staff side of belonging: the family liaison officer's page, a family's key worker and welcome checklist, buddy matches and the support directory. */
export function communityRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const byOf = (request: FastifyRequest): By => {
    const user = request.user as StaffUser;
    return { staffId: user.id, schoolId: user.schoolId, ip: request.ip };
  };

  async function overview(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const user = request.user as StaffUser;
    const today = request.scope.today;
    const [optIns, matches, keyWorkers, welcome] = await Promise.all([
      openOptIns(db, user.schoolId),
      matchesOf(db, user.schoolId),
      keyWorkerList(db, user.schoolId),
      welcomeFamilies(db, user.schoolId),
    ]);
    const families = await buddyFamilies(
      db,
      user.schoolId,
      optIns.map((o) => o.carer_id),
      today,
    );
    const wants = new Map(optIns.map((o) => [o.carer_id, o.wants]));
    // A newcomer with a live match (not declined) is shown the match, not offered another buddy family.
    const liveMatch = new Map(matches.filter((m) => !m.declined_at).map((m) => [m.newcomer_id, { id: m.id, buddyName: m.buddyName }]));
    const buddies = families.filter((f) => wants.get(f.carerId) === 'buddy');
    // A buddy family whose match with this newcomer was declined or withdrawn is not suggested to them again.
    const endedWith = (newcomerId: string) => new Map(matches.filter((m) => m.declined_at && m.newcomer_id === newcomerId).map((m) => [m.buddy_id, m.buddyName]));
    const newcomers = families
      .filter((f) => wants.get(f.carerId) === 'newcomer')
      .map((f) => ({ f, ended: endedWith(f.carerId) }))
      .map(({ f, ended }) => ({
        carerId: f.carerId,
        name: f.name,
        match: liveMatch.get(f.carerId) ?? null,
        years: [...new Set(f.children.map((c) => YEAR_GROUP_LABELS[c.yearGroup]))].join(', '),
        language: f.language,
        district: f.district,
        endedWith: [...ended.values()],
        suggestions: suggestBuddies(
          f,
          buddies.filter((b) => !ended.has(b.carerId)),
        ).map((s) => ({
          carerId: s.buddy.carerId,
          name: s.buddy.name,
          years: s.years.map((y) => YEAR_GROUP_LABELS[y]).join(', '),
          language: s.language,
          sameDistrict: s.sameDistrict,
          district: s.buddy.district,
        })),
      }));
    const shown = matches.map((m) => ({
      ...m,
      state: matchState(m),
      checkInDue: !m.checked_in_at && !m.declined_at && m.check_in_on <= today,
      checkInOverdue: !m.checked_in_at && !m.declined_at && m.check_in_on < today,
    }));
    // A check-in this member of staff has already passed to the DSL: when, instead of the link again (their own only).
    const checkInsPassed = await passedByMe(
      db,
      user,
      'buddy_check_in',
      matches.map((m) => ({ id: m.id, words: m.check_in_note })),
    );
    return reply.code(extra.errors ? 400 : 200).page(`${V}/overview.njk`, {
      title: 'Belonging: key workers, buddy families and welcome',
      isLead: hasAnyRole(user, COMMUNITY_LEADS),
      newcomers,
      buddyCount: buddies.length,
      matches: shown,
      dueCheckIns: shown.filter((m) => m.checkInDue),
      checkInsPassed,
      keyWorkers,
      welcome: welcome.map((w) => ({ ...w, done: w.steps.length, of: WELCOME_STEPS.length + 1 })),
      form: extra.form,
      errors: extra.errors ?? {},
      values: extra.values ?? {},
      done: extra.done ?? doneOf(request),
    });
  }

  app.get('/community', { config: { policy: keepers } }, async (request, reply) => overview(request, reply));

  app.post('/community/matches', { config: { policy: leads } }, async (request, reply) => {
    const form = parseForm(MatchForm, request.body);
    if (!form.ok) return overview(request, reply, { form: 'match', errors: form.errors, values: form.values });
    const done = await recordMatch(db, byOf(request), form.data, { today: request.scope.today, now: clock(), baseUrl: config.baseUrl });
    if (!done.ok) return overview(request, reply, { form: 'match', errors: { [done.field]: done.message }, values: form.data });
    deps.pokeOutbox();
    return reply.redirect('/community?done=matched', 303);
  });

  app.post('/community/matches/:matchId/check-in', { config: { policy: leads } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { matchId } = request.params as { matchId: string };
    if (!(await matchById(db, user.schoolId, matchId))) throw notFound();
    const form = parseForm(CheckInForm, request.body);
    if (!form.ok) return overview(request, reply, { form: `check-in-${matchId}`, errors: form.errors, values: form.values });
    const done = await checkIn(db, byOf(request), matchId, form.data.check_in_note, clock());
    if (!done.ok) return overview(request, reply, { form: `check-in-${matchId}`, errors: { [done.field]: done.message }, values: form.data });
    return reply.redirect('/community?done=checked-in', 303);
  });

  app.post('/community/matches/:matchId/withdraw', { config: { policy: leads } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { matchId } = request.params as { matchId: string };
    if (!(await matchById(db, user.schoolId, matchId))) throw notFound();
    const form = parseForm(WithdrawMatchForm, request.body);
    if (!form.ok) return overview(request, reply, { form: `withdraw-${matchId}`, errors: form.errors, values: form.values });
    const done = await withdrawMatch(db, byOf(request), matchId, form.data.withdraw_reason, { now: clock(), baseUrl: config.baseUrl });
    if (!done.ok) return overview(request, reply, { form: `withdraw-${matchId}`, errors: { [done.field]: done.message }, values: form.data });
    deps.pokeOutbox();
    return reply.redirect('/community?done=withdrawn', 303);
  });

  async function familyPage(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const user = request.user as StaffUser;
    const { carerId } = request.params as { carerId: string };
    const carer = await carerOf(db, user.schoolId, carerId);
    if (!carer) throw notFound();
    const [keyWorker, steps, signedOn, choices] = await Promise.all([
      keyWorkerOf(db, user.schoolId, carerId),
      welcomeStepsOf(db, user.schoolId, carerId),
      carerSignedCurrentOn(db, user.schoolId, carerId),
      staffChoices(db, user.schoolId),
    ]);
    return reply.code(extra.errors ? 400 : 200).page(`${V}/family.njk`, {
      title: `Belonging: ${carerName(carer)}`,
      backLink: '/community',
      carer: { id: carer.id, name: carerName(carer) },
      keyWorker,
      checklist: welcomeChecklist(steps, signedOn),
      stepOptions: WELCOME_STEPS.map((s) => ({ value: s, text: STEP_LABELS[s] })),
      choices,
      isLead: hasAnyRole(user, COMMUNITY_LEADS),
      form: extra.form,
      errors: extra.errors ?? {},
      values: extra.values ?? {},
      done: extra.done ?? doneOf(request),
    });
  }

  app.get('/carers/:carerId/community', { config: { policy: keepers } }, async (request, reply) => familyPage(request, reply));

  app.post('/carers/:carerId/key-worker', { config: { policy: leads } }, async (request, reply) => {
    const { carerId } = request.params as { carerId: string };
    const form = parseForm(KeyWorkerForm, request.body);
    if (!form.ok) return familyPage(request, reply, { form: 'key-worker', errors: form.errors, values: form.values });
    const done = await setKeyWorker(db, byOf(request), carerId, { staffId: form.data.key_worker, reason: form.data.key_worker_reason }, clock());
    if (!done.ok) return familyPage(request, reply, { form: 'key-worker', errors: { [done.field]: done.message }, values: form.data });
    return reply.redirect(`/carers/${carerId}/community?done=key-worker`, 303);
  });

  app.post('/carers/:carerId/key-worker/end', { config: { policy: leads } }, async (request, reply) => {
    const { carerId } = request.params as { carerId: string };
    const done = await endKeyWorker(db, byOf(request), carerId, clock());
    if (!done.ok) return familyPage(request, reply, { form: 'key-worker', errors: { [done.field]: done.message } });
    return reply.redirect(`/carers/${carerId}/community?done=key-worker-ended`, 303);
  });

  app.post('/carers/:carerId/welcome', { config: { policy: keepers } }, async (request, reply) => {
    const { carerId } = request.params as { carerId: string };
    const form = parseForm(WelcomeStepForm, request.body);
    if (!form.ok) return familyPage(request, reply, { form: 'welcome', errors: form.errors, values: form.values });
    const done = await recordWelcomeStep(db, byOf(request), carerId, form.data, { today: request.scope.today, now: clock() });
    if (!done.ok) return familyPage(request, reply, { form: 'welcome', errors: { [done.field]: done.message }, values: request.body as Record<string, unknown> });
    return reply.redirect(`/carers/${carerId}/community?done=welcome`, 303);
  });

  async function directory(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const user = request.user as StaffUser;
    const entries = await supportEntries(db, user.schoolId);
    return reply.code(extra.errors ? 400 : 200).page(`${V}/support.njk`, {
      title: 'Local support directory',
      backLink: '/community',
      entries: entries.map((e) => ({ ...e, kindLabel: KIND_LABELS[e.kind] })),
      kinds: Object.entries(KIND_LABELS).map(([value, text]) => ({ value, text })),
      errors: extra.errors ?? {},
      values: extra.values ?? {},
      done: extra.done ?? doneOf(request),
    });
  }

  app.get('/community/support', { config: { policy: keepers } }, async (request, reply) => directory(request, reply));

  app.post('/community/support', { config: { policy: keepers } }, async (request, reply) => {
    const form = parseForm(SupportForm, request.body);
    if (!form.ok) return directory(request, reply, { errors: form.errors, values: form.values });
    await saveSupport(db, byOf(request), null, form.data, clock());
    return reply.redirect('/community/support?done=added', 303);
  });

  async function entryPage(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const user = request.user as StaffUser;
    const { supportId: entryId } = request.params as { supportId: string };
    const entry = await supportEntry(db, user.schoolId, entryId);
    if (!entry || entry.archived_at) throw notFound();
    return reply.code(extra.errors ? 400 : 200).page(`${V}/support-entry.njk`, {
      title: `Change: ${entry.name}`,
      backLink: '/community/support',
      entry,
      kinds: Object.entries(KIND_LABELS).map(([value, text]) => ({ value, text })),
      errors: extra.errors ?? {},
      values: extra.values ?? entry,
    });
  }

  app.get('/community/support/:supportId', { config: { policy: keepers } }, async (request, reply) => entryPage(request, reply));

  app.post('/community/support/:supportId', { config: { policy: keepers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { supportId: entryId } = request.params as { supportId: string };
    const entry = await supportEntry(db, user.schoolId, entryId);
    if (!entry || entry.archived_at) throw notFound();
    const form = parseForm(SupportForm, request.body);
    if (!form.ok) return entryPage(request, reply, { errors: form.errors, values: form.values });
    await saveSupport(db, byOf(request), entryId, form.data, clock());
    return reply.redirect('/community/support?done=changed', 303);
  });

  app.post('/community/support/:supportId/archive', { config: { policy: keepers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const { supportId: entryId } = request.params as { supportId: string };
    const entry = await supportEntry(db, user.schoolId, entryId);
    if (!entry) throw notFound();
    await archiveSupport(db, byOf(request), entryId, clock());
    return reply.redirect('/community/support?done=archived', 303);
  });
}
