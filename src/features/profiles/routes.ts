import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { passedByMe } from '../../platform/safeguarding/words.ts';
import { profileStaffNoteFinder } from './words-for-dsl.ts';
import { PROFILE_ROLES } from './profile.ts';
import { profileVersionRoutes } from './version-routes.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import type { ProfileTable } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import type { Actor } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { parseForm, type FieldErrors } from '../../platform/web/forms.ts';
import { STATUS_LABELS, STATUS_TAGS, statusOf, textDirection } from '../messages/index.ts';
import {
  compare,
  ConsentForm,
  DecisionForm,
  forCarers,
  HEADINGS,
  markedLines,
  mayDecide,
  nextTermly,
  reviewState,
  ReviewForm,
  SHARED,
  sectionsOf,
  STAFF_ONLY,
  StaffProposalForm,
  type Sections,
} from './profile.ts';
import { decide, propose, recordConsent, recordReview, startProfile } from './commands.ts';
import {
  classTeachersOf,
  consentsOf,
  profileList,
  profileOf,
  proposalById,
  proposalsOf,
  pupilOf,
  reviewsOf,
  termsOf,
  versionOf,
  versionsOf,
  wordsAt,
  type PupilFacts,
  type WordsRow,
} from './queries.ts';

const V = 'features/profiles/views';

// Who may do what with profiles: in profile.ts, so "Pass this to the DSL" (words-for-dsl.ts) reads the same rule without a cycle.
export { PROFILE_ROLES } from './profile.ts';

const DONE: Record<string, string> = {
  started: 'Profile started. Propose what to write under each heading, then accept it.',
  proposed: 'Change proposed. The SENCO or the class teacher accepts or rejects it.',
  accepted: 'Change accepted: the profile has a new version.',
  rejected: 'Change rejected. The profile is as it was.',
  reviewed: 'Review recorded.',
  consent: 'Consent recorded.',
};

export function staffActor(request: FastifyRequest): Actor & { kind: 'staff' } {
  const user = request.user as StaffUser;
  return { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip };
}

type Loaded = { user: StaffUser; pupil: PupilFacts; profile: ProfileTable | undefined; teachers: string[]; decides: boolean };
type Extra = { errors?: FieldErrors; values?: Record<string, unknown>; status?: number };

/** Words of carers shown to staff: the original, and the English once a second person has checked it. */
export function wordsForStaff(rows: WordsRow[]) {
  return rows.map((w) => {
    const status = statusOf({ source: w.translation_source, status: w.translation_status });
    return {
      carerId: w.carer_id,
      carer: w.carer_name,
      language: w.language,
      direction: textDirection(w.language),
      words: w.words,
      english: w.language === 'English' ? null : w.translation_status === 'checked' ? w.translation : null,
      label: STATUS_LABELS[status],
      tag: STATUS_TAGS[status],
      checker: w.checker_name,
      needsTranslation: w.language !== 'English',
    };
  });
}

export function profileRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock, config } = deps;
  const read = staff(PROFILE_ROLES.read);
  const deciders = staff(PROFILE_ROLES.decide);
  const done = (request: FastifyRequest) => DONE[(request.query as { done?: string }).done ?? ''];

  async function load(request: FastifyRequest): Promise<Loaded> {
    const user = request.user as StaffUser;
    const pupil = await pupilOf(db, user.schoolId, (request.params as { pupilId: string }).pupilId);
    if (!pupil) throw notFound();
    const [profile, teachers] = await Promise.all([profileOf(db, user.schoolId, pupil.id), classTeachersOf(db, user.schoolId, pupil.class_id)]);
    return { user, pupil, profile, teachers, decides: mayDecide(user, teachers) };
  }
  /** For the SENCO or the class teacher only; anyone else is told nothing is here. */
  async function loadToDecide(request: FastifyRequest): Promise<Loaded & { profile: ProfileTable }> {
    const loaded = await load(request);
    if (!loaded.decides || !loaded.profile) throw notFound();
    return loaded as Loaded & { profile: ProfileTable };
  }

  app.get('/profiles', { config: { policy: read } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const rows = await profileList(db, user, request.scope);
    const today = request.scope.today;
    return reply.page(`${V}/list.njk`, {
      title: 'Pupil profiles',
      rows: rows.map((r) => ({ ...r, review: reviewState(r.review_due_on, null, today) })),
    });
  });

  async function profilePage(request: FastifyRequest, reply: FastifyReply, loaded: Loaded, extra: Extra & { form?: 'review' | 'consent' } = {}) {
    const { pupil, profile, decides } = loaded;
    const today = request.scope.today;
    if (!profile) {
      return reply.code(extra.status ?? 200).page(`${V}/profile.njk`, { title: `${pupil.name}: profile`, backLink: '/profiles', pupil, profile: null, decides });
    }
    const [version, pending, versions, reviews, consents, words, carers, terms] = await Promise.all([
      versionOf(db, profile, profile.version),
      proposalsOf(db, profile, 'pending'),
      versionsOf(db, profile),
      reviewsOf(db, profile),
      consentsOf(db, profile),
      wordsAt(db, profile, profile.version),
      carersWhoMaySee(loaded.user.schoolId, pupil.id, today),
      termsOf(db, loaded.user.schoolId),
    ]);
    const sections = sectionsOf(version);
    const values = extra.values ?? {};
    // A staff-only note this member of staff has already passed to the DSL, as it reads now: when, instead of the link again (their own only).
    const notes = await Promise.all(
      STAFF_ONLY.map(async (section) => ({ section, found: sections[section] ? await profileStaffNoteFinder(section)(db, loaded.user, request.scope, pupil.id) : undefined })),
    );
    const notesPassedAt = await passedByMe(
      db,
      loaded.user,
      'profile_staff_note',
      notes.flatMap((n) => (n.found && n.found !== 'gone' ? [{ id: n.found.recordId, words: n.found.words }] : [])),
    );
    const staffNotePassed = Object.fromEntries(notes.map((n) => [n.section, n.found && n.found !== 'gone' ? (notesPassedAt[n.found.recordId] ?? null) : null]));
    return reply.code(extra.status ?? 200).page(`${V}/profile.njk`, {
      title: `${pupil.name}: profile`,
      backLink: '/profiles',
      pupil,
      profile,
      decides,
      headings: SHARED.map((s, i) => ({
        section: s,
        heading: HEADINGS[s],
        text: sections[s],
        staffOnly: STAFF_ONLY[i] ? sections[STAFF_ONLY[i]] : null,
        staffSection: STAFF_ONLY[i] ?? null,
        staffPassed: STAFF_ONLY[i] ? staffNotePassed[STAFF_ONLY[i]] : null,
      })),
      words: wordsForStaff(words),
      pending,
      versions,
      lastReview: reviews[0] ?? null,
      review: reviewState(profile.review_due_on, profile.review_kind, today),
      consents,
      carers,
      done: done(request),
      form: extra.form,
      errors: extra.errors,
      reviewValues: extra.form === 'review' ? values : { reviewed_on: today, next_kind: 'termly', next_due_on: nextTermly(today, terms) },
      consentValues: extra.form === 'consent' ? values : { given_on: today },
    });
  }

  async function carersWhoMaySee(schoolId: string, pupilId: string, today: string) {
    const answers = await whoMayHear(db, { schoolId, pupilIds: [pupilId], purpose: 'profile', today });
    const allowed = answers.filter((a) => a.decision.may).map((a) => a.carerId);
    if (allowed.length === 0) return [];
    const rows = await db.selectFrom('carers').select(['id', 'given_name', 'family_name']).where('school_id', '=', schoolId).where('id', 'in', allowed).orderBy('given_name').execute();
    return rows.map((c) => ({ value: c.id, text: `${c.given_name} ${c.family_name}` }));
  }

  app.get('/pupils/:pupilId/profile', { config: { policy: read } }, async (request, reply) => profilePage(request, reply, await load(request)));

  app.post('/pupils/:pupilId/profile', { config: { policy: deciders } }, async (request, reply) => {
    const loaded = await load(request);
    if (!loaded.decides) throw notFound();
    await startProfile(db, staffActor(request), loaded.pupil.id, clock());
    return reply.redirect(`/pupils/${loaded.pupil.id}/profile/propose?done=started`, 303);
  });

  async function proposePage(request: FastifyRequest, reply: FastifyReply, loaded: Loaded & { profile: ProfileTable }, extra: Extra = {}) {
    const current = sectionsOf(await versionOf(db, loaded.profile, loaded.profile.version));
    return reply.code(extra.status ?? 200).page(`${V}/propose.njk`, {
      title: `Propose a change to ${loaded.pupil.name}’s profile`,
      backLink: `/pupils/${loaded.pupil.id}/profile`,
      pupil: loaded.pupil,
      fields: [...SHARED.flatMap((s, i) => [s, ...(STAFF_ONLY[i] ? [STAFF_ONLY[i]] : [])])].map((s) => ({ name: s, label: HEADINGS[s], staffOnly: (STAFF_ONLY as readonly string[]).includes(s) })),
      values: extra.values ?? { ...current, note: '' },
      errors: extra.errors,
      done: done(request),
    });
  }

  async function withProfile(request: FastifyRequest): Promise<Loaded & { profile: ProfileTable }> {
    const loaded = await load(request);
    if (!loaded.profile) throw notFound();
    return loaded as Loaded & { profile: ProfileTable };
  }

  app.get('/pupils/:pupilId/profile/propose', { config: { policy: read } }, async (request, reply) => proposePage(request, reply, await withProfile(request)));

  app.post('/pupils/:pupilId/profile/propose', { config: { policy: read } }, async (request, reply) => {
    const loaded = await withProfile(request);
    const form = parseForm(StaffProposalForm, request.body);
    if (!form.ok) return proposePage(request, reply, loaded, { errors: form.errors, values: form.values, status: 400 });
    const made = await propose(db, staffActor(request), loaded.profile, form.data, { now: clock(), baseUrl: config.baseUrl });
    if (!made.ok) return proposePage(request, reply, loaded, { errors: { admire: 'Change at least one heading before proposing' }, values: form.data, status: 400 });
    deps.pokeOutbox();
    // The SENCO or class teacher goes straight to their own proposal to accept it.
    return reply.redirect(loaded.decides ? `/pupils/${loaded.pupil.id}/profile/proposals/${made.id}` : `/pupils/${loaded.pupil.id}/profile?done=proposed`, 303);
  });

  async function proposalPage(request: FastifyRequest, reply: FastifyReply, extra: Extra = {}) {
    const loaded = await withProfile(request);
    const proposal = await proposalById(db, loaded.user.schoolId, (request.params as { proposalId: string }).proposalId);
    if (!proposal || proposal.profile_id !== loaded.profile.id) throw notFound();
    const current = sectionsOf(await versionOf(db, loaded.profile, loaded.profile.version));
    const proposed: Sections = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, proposal[k as keyof Sections] ?? v])) as Sections;
    const words = proposal.words !== null && proposal.carer_id ? (await wordsAt(db, loaded.profile, loaded.profile.version)).find((w) => w.carer_id === proposal.carer_id) : undefined;
    return reply.code(extra.status ?? 200).page(`${V}/proposal.njk`, {
      title: `Proposed change to ${loaded.pupil.name}’s profile`,
      backLink: `/pupils/${loaded.pupil.id}/profile`,
      pupil: loaded.pupil,
      proposal,
      changes: compare(current, proposed, { staffOnly: true })
        .filter((c) => c.changed)
        .map((c) => ({ ...c, lines: markedLines(c.before, c.after) })),
      words:
        proposal.words !== null
          ? { lines: markedLines(words?.words ?? '', proposal.words), language: proposal.words_language ?? 'English', direction: textDirection(proposal.words_language ?? 'English') }
          : null,
      stale: proposal.base_version !== loaded.profile.version,
      decides: loaded.decides,
      errors: extra.errors,
      values: extra.values ?? {},
    });
  }

  app.get('/pupils/:pupilId/profile/proposals/:proposalId', { config: { policy: read } }, async (request, reply) => proposalPage(request, reply));

  app.post('/pupils/:pupilId/profile/proposals/:proposalId', { config: { policy: deciders } }, async (request, reply) => {
    const loaded = await loadToDecide(request);
    const proposal = await proposalById(db, loaded.user.schoolId, (request.params as { proposalId: string }).proposalId);
    if (!proposal || proposal.profile_id !== loaded.profile.id) throw notFound();
    const form = parseForm(DecisionForm, request.body);
    if (!form.ok) return proposalPage(request, reply, { errors: form.errors, values: form.values, status: 400 });
    const result = await decide(db, staffActor(request), proposal, form.data, clock(), {
      baseUrl: config.baseUrl,
      schoolName: request.school?.name ?? 'The school',
      today: request.scope.today,
    });
    if (result.ok) deps.pokeOutbox();
    if (!result.ok) return proposalPage(request, reply, { errors: { [result.field]: result.message }, values: form.data, status: 409 });
    return reply.redirect(`/pupils/${loaded.pupil.id}/profile?done=${form.data.decision === 'accept' ? 'accepted' : 'rejected'}`, 303);
  });

  app.get('/pupils/:pupilId/profile/changes', { config: { policy: read } }, async (request, reply) => {
    const loaded = await withProfile(request);
    const reviews = await reviewsOf(db, loaded.profile);
    const from = reviews[0]?.version ?? 1;
    const [before, after, wordsBefore, wordsAfter] = await Promise.all([
      versionOf(db, loaded.profile, from),
      versionOf(db, loaded.profile, loaded.profile.version),
      wordsAt(db, loaded.profile, from),
      wordsAt(db, loaded.profile, loaded.profile.version),
    ]);
    const carers = [...new Set([...wordsBefore, ...wordsAfter].map((w) => w.carer_id))];
    return reply.page(`${V}/changes.njk`, {
      title: `What changed in ${loaded.pupil.name}’s profile`,
      backLink: `/pupils/${loaded.pupil.id}/profile`,
      pupil: loaded.pupil,
      lastReview: reviews[0] ?? null,
      from,
      to: loaded.profile.version,
      changes: compare(sectionsOf(before), sectionsOf(after), { staffOnly: true }).map((c) => ({ ...c, lines: markedLines(c.before, c.after) })),
      words: carers.map((id) => {
        const b = wordsBefore.find((w) => w.carer_id === id);
        const a = wordsAfter.find((w) => w.carer_id === id);
        const w = a ?? b!;
        return { carer: w.carer_name, language: w.language, direction: textDirection(w.language), lines: markedLines(b?.words ?? '', a?.words ?? ''), changed: (b?.words ?? '') !== (a?.words ?? '') };
      }),
    });
  });

  app.post('/pupils/:pupilId/profile/reviews', { config: { policy: deciders } }, async (request, reply) => {
    const loaded = await loadToDecide(request);
    const form = parseForm(ReviewForm, request.body);
    if (!form.ok) return profilePage(request, reply, loaded, { errors: form.errors, values: form.values, status: 400, form: 'review' });
    const result = await recordReview(db, staffActor(request), loaded.profile, form.data, { today: request.scope.today, now: clock() });
    if (!result.ok) return profilePage(request, reply, loaded, { errors: { [result.field]: result.message }, values: request.body as Record<string, unknown>, status: 400, form: 'review' });
    return reply.redirect(`/pupils/${loaded.pupil.id}/profile?done=reviewed`, 303);
  });

  app.post('/pupils/:pupilId/profile/consents', { config: { policy: deciders } }, async (request, reply) => {
    const loaded = await loadToDecide(request);
    const form = parseForm(ConsentForm, request.body);
    if (!form.ok) return profilePage(request, reply, loaded, { errors: form.errors, values: form.values, status: 400, form: 'consent' });
    const result = await recordConsent(db, staffActor(request), loaded.profile, form.data, { today: request.scope.today, now: clock() });
    if (!result.ok) return profilePage(request, reply, loaded, { errors: { [result.field]: result.message }, values: request.body as Record<string, unknown>, status: 400, form: 'consent' });
    return reply.redirect(`/pupils/${loaded.pupil.id}/profile?done=consent#consent`, 303);
  });

  /**
   * The copy to share outside the school (a new school at transition, a health visitor): only with a
   * carer's recorded consent, and never the staff-only notes.
   */
  app.get('/pupils/:pupilId/profile/outside', { config: { policy: deciders } }, async (request, reply) => {
    const loaded = await loadToDecide(request);
    const [consents, version, words] = await Promise.all([consentsOf(db, loaded.profile), versionOf(db, loaded.profile, loaded.profile.version), wordsAt(db, loaded.profile, loaded.profile.version)]);
    const shared = forCarers(sectionsOf(version));
    return reply.page(`${V}/outside.njk`, {
      title: `${loaded.pupil.name}: profile to share outside the school`,
      backLink: `/pupils/${loaded.pupil.id}/profile`,
      pupil: loaded.pupil,
      consents,
      headings: SHARED.map((s) => ({ heading: HEADINGS[s], text: shared[s] })),
      words: wordsForStaff(words),
    });
  });

  profileVersionRoutes(app, deps, read);
}
