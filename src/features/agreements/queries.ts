import { sql, type Kysely } from 'kysely';
import type { AgreementPromiseTable, AgreementTranslationTable, AgreementVersionTable, Database, LocalDate } from '../../db/schema.ts';
import { whoMayHear } from '../../platform/access/hear.ts';
import { currentVersion, familyGroups, hasSigned, pupilSigns, signaturesCountFrom, type Obligation } from './agreement.ts';

type Db = Kysely<Database>;

export async function versionsOf(db: Db, schoolId: string): Promise<AgreementVersionTable[]> {
  return db.selectFrom('agreement_versions').selectAll().where('school_id', '=', schoolId).orderBy('version', 'desc').execute();
}

export async function versionById(db: Db, schoolId: string, id: string): Promise<AgreementVersionTable | undefined> {
  return db.selectFrom('agreement_versions').selectAll().where('school_id', '=', schoolId).where('id', '=', id).executeTakeFirst();
}

export async function promisesOf(db: Db, versionId: string): Promise<AgreementPromiseTable[]> {
  return db.selectFrom('agreement_promises').selectAll().where('version_id', '=', versionId).orderBy('position').execute();
}

export type TranslationRow = AgreementTranslationTable & { writer_name: string | null; checker_name: string | null };
export async function translationsOf(db: Db, versionId: string): Promise<TranslationRow[]> {
  return db
    .selectFrom('agreement_translations')
    .leftJoin('staff as writer', 'writer.id', 'agreement_translations.written_by')
    .leftJoin('staff as checker', 'checker.id', 'agreement_translations.checked_by')
    .selectAll('agreement_translations')
    .select([
      sql<string | null>`case when writer.id is null then null else writer.title || ' ' || writer.family_name end`.as('writer_name'),
      sql<string | null>`case when checker.id is null then null else checker.title || ' ' || checker.family_name end`.as('checker_name'),
    ])
    .where('agreement_translations.version_id', '=', versionId)
    .orderBy('agreement_translations.language')
    .execute();
}

export async function findTranslation(db: Db, versionId: string, language: string) {
  return db.selectFrom('agreement_translations').selectAll().where('version_id', '=', versionId).where('language', '=', language).executeTakeFirst();
}

/** Languages other than English that carers of the school read, with how many carers read each. */
export async function carerLanguages(db: Db, schoolId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('carers')
    .select(['preferred_language', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('school_id', '=', schoolId)
    .where('archived_at', 'is', null)
    .where('preferred_language', '!=', 'English')
    .groupBy('preferred_language')
    .execute();
  return new Map(rows.map((r) => [r.preferred_language, Number(r.n)]));
}

export type SigningState = { current: AgreementVersionTable | null; countsFrom: number | null; versionNumbers: Map<string, number> };
export async function signingState(db: Db, schoolId: string): Promise<SigningState> {
  const versions = await versionsOf(db, schoolId);
  return { current: currentVersion(versions), countsFrom: signaturesCountFrom(versions), versionNumbers: new Map(versions.map((v) => [v.id, v.version])) };
}

const nameOf = (p: { given_name: string; preferred_name: string | null; family_name: string }) => `${p.preferred_name || p.given_name} ${p.family_name}`;

/**
 * Everyone asked to sign, for these pupils (or the whole school): each carer who may hear about the
 * child in the portal (platform/access: never a carer restricted from the child), separately; and
 * each pupil from Year 3 up. With whether a signature that still counts is recorded.
 */
export async function obligations(db: Db, schoolId: string, today: LocalDate, only: { pupilIds?: string[]; classIds?: string[] } = {}): Promise<Obligation[]> {
  const state = await signingState(db, schoolId);
  let q = db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select([
      'pupils.id',
      'pupils.given_name',
      'pupils.preferred_name',
      'pupils.family_name',
      'pupils.year_group',
      'pupils.home_language',
      'pupils.eal',
      'pupils.send_status',
      'classes.name as class_name',
      'classes.year_group as class_year',
    ])
    .where('pupils.school_id', '=', schoolId)
    .where('pupils.archived_at', 'is', null);
  if (only.pupilIds) q = q.where('pupils.id', 'in', only.pupilIds.length ? only.pupilIds : ['']);
  if (only.classIds) q = q.where('pupils.class_id', 'in', only.classIds.length ? only.classIds : ['']);
  const pupils = await q.orderBy('classes.name').orderBy('pupils.family_name').orderBy('pupils.given_name').execute();
  if (pupils.length === 0) return [];
  const ids = pupils.map((p) => p.id);
  const [answers, signatures] = await Promise.all([
    whoMayHear(db, { schoolId, pupilIds: ids, purpose: 'portal', today }),
    db.selectFrom('agreement_signatures').select(['pupil_id', 'carer_id', 'signer', 'version_id', 'how']).where('school_id', '=', schoolId).where('pupil_id', 'in', ids).execute(),
  ]);
  const carerIds = [...new Set(answers.filter((a) => a.decision.may).map((a) => a.carerId))];
  const carers = carerIds.length
    ? await db
        .selectFrom('carers')
        .select(['id', 'title', 'given_name', 'family_name', 'email', 'paper_copies'])
        .where('school_id', '=', schoolId)
        .where('archived_at', 'is', null)
        .where('id', 'in', carerIds)
        .execute()
    : [];
  const carerById = new Map(carers.map((c) => [c.id, c]));
  const signed = (pupilId: string, carerId: string | null) => {
    const mine = signatures.filter((s) => s.pupil_id === pupilId && (carerId ? s.signer === 'carer' && s.carer_id === carerId : s.signer === 'pupil'));
    const counting = mine.filter((s) => hasSigned([state.versionNumbers.get(s.version_id) ?? 0], state.countsFrom));
    const latest = counting.sort((a, b) => (state.versionNumbers.get(b.version_id) ?? 0) - (state.versionNumbers.get(a.version_id) ?? 0))[0];
    return { signed: !!latest, how: latest?.how ?? null };
  };
  const result: Obligation[] = [];
  for (const p of pupils) {
    const className = p.class_name ?? 'No class';
    for (const a of answers.filter((x) => x.pupilId === p.id && x.decision.may).sort((x, y) => x.contactPriority - y.contactPriority)) {
      const c = carerById.get(a.carerId);
      if (!c) continue;
      result.push({
        pupilId: p.id,
        pupilName: nameOf(p),
        className,
        classYear: p.class_year,
        signer: 'carer',
        carerId: c.id,
        carerName: `${c.title ? c.title + ' ' : ''}${c.given_name} ${c.family_name}`,
        ...signed(p.id, c.id),
        groups: familyGroups({ homeLanguage: p.home_language, eal: p.eal, send: p.send_status, carerHasEmail: !!c.email, paperCopies: c.paper_copies }),
      });
    }
    if (pupilSigns(p.year_group))
      result.push({ pupilId: p.id, pupilName: nameOf(p), className, classYear: p.class_year, signer: 'pupil', carerId: null, carerName: null, ...signed(p.id, null), groups: [] });
  }
  return result;
}

export async function latestReview(db: Db, schoolId: string) {
  return db.selectFrom('agreement_reviews').selectAll().where('school_id', '=', schoolId).orderBy('reviewed_on', 'desc').orderBy('created_at', 'desc').executeTakeFirst();
}

export async function reviewsOf(db: Db, schoolId: string) {
  return db
    .selectFrom('agreement_reviews')
    .leftJoin('agreement_versions', 'agreement_versions.id', 'agreement_reviews.version_id')
    .innerJoin('staff', 'staff.id', 'agreement_reviews.recorded_by')
    .selectAll('agreement_reviews')
    .select(['agreement_versions.version', sql<string>`staff.title || ' ' || staff.family_name`.as('recorder')])
    .where('agreement_reviews.school_id', '=', schoolId)
    .orderBy('agreement_reviews.reviewed_on', 'desc')
    .execute();
}

/** Whether this member of staff teaches the pupil's class. */
export async function teachesPupil(db: Db, staffId: string, pupilId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pupils')
    .innerJoin('class_teachers', 'class_teachers.class_id', 'pupils.class_id')
    .select('pupils.id')
    .where('pupils.id', '=', pupilId)
    .where('class_teachers.staff_id', '=', staffId)
    .executeTakeFirst();
  return !!row;
}

export async function pupilRow(db: Db, schoolId: string, pupilId: string) {
  return db
    .selectFrom('pupils')
    .leftJoin('classes', 'classes.id', 'pupils.class_id')
    .select(['pupils.id', 'pupils.given_name', 'pupils.preferred_name', 'pupils.family_name', 'pupils.year_group', 'classes.name as class_name'])
    .where('pupils.school_id', '=', schoolId)
    .where('pupils.id', '=', pupilId)
    .executeTakeFirst();
}
