import { newId } from '../../src/platform/ids.ts';
import { newTotpSecret } from '../../src/platform/auth/totp.ts';
import { issueSignInCode, issueSignInLink } from '../../src/platform/auth/sign-in-tokens.ts';
import { sendMessage } from '../../src/features/messages/send.ts';
import type { TestApp } from '../support/app.ts';
import { carerRow } from '../support/fixture.ts';
import { EVERYONE, OTHER_SCHOOL, perPerson, type Ids, type Who } from './types.ts';

/** The staff who may read and send a colleague's draft, and keep the glossary, groups and imports. */
export const MESSAGE_READERS: Who[] = ['head', 'senior_leader', 'office', 'senco', 'family_liaison', 'dsl', 'deputy_dsl'];
export const EDIT_PEOPLE: Who[] = ['head', 'senior_leader', 'office'];
export const HEAD_AND_DSL: Who[] = ['head', 'dsl'];
export const HEAD_AND_OFFICE: Who[] = ['head', 'office'];
export const GROUP_KEEPERS: Who[] = ['head', 'senior_leader', 'office', 'family_liaison'];
/** The secret every member of staff's two-step sign-in is being set up with, so a form can carry today's code. */
export const TOTP_SECRET = newTotpSecret();

/**
 * Records of their own for the matrix's own rows, where a write can happen once: a draft each to send
 * or translate, a restriction each to lift, a group each, a glossary word each, an import each, and a
 * read link each (everyone may use one).
 */
export async function ownSetup(t: TestApp): Promise<Ids> {
  const { fx, db } = t;
  const now = () => new Date().toISOString();
  const draft = async (audience: object, kind: 'individual' | 'newsletter' = 'individual', asks = 0) => {
    const id = newId();
    await db
      .insertInto('messages')
      .values({
        id,
        school_id: fx.school.id,
        kind,
        tone: 'information',
        subject: 'Harvest',
        body: 'Tins, please.',
        audience_json: JSON.stringify(audience),
        asks_acknowledgement: asks as 0 | 1,
        status: 'draft',
        scheduled_for: null,
        sent_at: null,
        created_by: fx.staff.head,
        created_at: now(),
        updated_at: now(),
      })
      .execute();
    return id;
  };
  const kuba = { kind: 'pupils', pupilIds: [fx.pupils.kuba] };
  const send = { baseUrl: 'http://gatepost.test', schoolName: 'Brookfield', today: '2026-11-23' };
  const restriction = async () => {
    const id = newId();
    await db
      .insertInto('restrictions')
      .values({
        id,
        school_id: fx.school.id,
        pupil_id: fx.pupils.lily,
        carer_id: fx.carers.mark,
        kind: 'agreed_arrangement',
        stops_information: 0,
        stops_collection: 1,
        stops_contact: 0,
        details: 'Mark collects on Fridays only.',
        starts_on: '2026-01-15',
        ends_on: null,
        lifted_at: null,
        created_by: fx.staff.head,
        created_at: now(),
      })
      .execute();
    return id;
  };
  const group = async (who: Who) => {
    const id = newId();
    await db
      .insertInto('carer_groups')
      .values({ id, school_id: fx.school.id, name: `Choir ${who}` })
      .execute();
    await db.insertInto('carer_group_members').values({ group_id: id, carer_id: fx.carers.grace, school_id: fx.school.id }).execute();
    return id;
  };
  /** A pupils file with one new pupil (a different one each), no class: applying it adds that pupil. */
  const batch = async (who: Who) => {
    const id = newId();
    const row = who === 'head' ? 'H801200001001,Amy,Jones,01/02/2019,3' : 'H801200007001,Nia,Evans,01/02/2019,3';
    await db
      .insertInto('import_batches')
      .values({
        id,
        school_id: fx.school.id,
        kind: 'pupils',
        file_name: 'pupils.csv',
        csv_text: `UPN,Forename,Surname,DOB,Year\n${row}\n`,
        created_by: fx.staff.office,
        created_at: now(),
        applied_at: null,
      })
      .execute();
    return id;
  };
  const term = async (who: Who) => {
    const id = newId();
    await db
      .insertInto('glossary')
      .values({ id, school_id: fx.school.id, term: `EHCP ${who}`, plain: 'a plan for a child’s extra help' })
      .execute();
    return id;
  };
  /** A draft with a Polish translation Ms Hall wrote: someone else may check it. */
  const toCheck = async () => {
    const id = await draft(kuba);
    await db
      .insertInto('message_translations')
      .values({
        id: newId(),
        school_id: fx.school.id,
        message_id: id,
        language: 'Polish',
        subject: 'Dożynki',
        body: 'Puszki, proszę.',
        source: 'person',
        status: 'written',
        written_by: fx.staff.teacher2,
        checked_by: null,
        updated_at: now(),
      })
      .execute();
    return id;
  };
  // Read links: three letters to the whole school give every carer three, one for each person tried.
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = await draft({ kind: 'school' }, 'newsletter', 1);
    await sendMessage(db, { kind: 'system' }, fx.school.id, id, { ...send, now: new Date() });
    tokens.push(...(await db.selectFrom('message_recipients').select('read_token').where('message_id', '=', id).execute()).map((r) => r.read_token));
  }
  const readers = [...(Object.keys(OTHER_SCHOOL) as Who[]), ...EVERYONE];
  if (tokens.length < readers.length) throw new Error('The matrix set up too few read links');
  await db.updateTable('staff').set({ totp_secret: TOTP_SECRET }).execute();
  // Emailed sign-in links for Sarah, one each. A printed code replaces the carer's last one, so each
  // person has a carer of their own (at the other school, where no other row looks).
  const links: Ids = {};
  const codes: Ids = {};
  for (const [i, who] of readers.entries()) {
    links[`signInLink.${who}`] = await issueSignInLink(db, { id: fx.carers.sarah, schoolId: fx.school.id }, new Date(), 60);
    const carer = newId();
    await db
      .insertInto('carers')
      .values(carerRow(now(), { id: carer, school_id: fx.other.id, given_name: 'Code', family_name: `Carer ${i + 1}` }))
      .execute();
    codes[`signInCode.${who}`] = (await issueSignInCode(db, { id: carer, schoolId: fx.other.id }, fx.staff.otherHead, new Date(), 7)).code;
  }
  return {
    ...links,
    ...codes,
    ...Object.fromEntries(readers.map((who, i) => [`readToken.${who}`, tokens[i]!])),
    ...(await perPerson('sendDraft', MESSAGE_READERS, () => draft(kuba))),
    ...(await perPerson('translateDraft', MESSAGE_READERS, () => draft(kuba))),
    ...(await perPerson('checkDraft', MESSAGE_READERS, toCheck)),
    liftRestriction: await restriction(),
    ...(await perPerson('liftRestriction', HEAD_AND_DSL, restriction)),
    ...(await perPerson('group', GROUP_KEEPERS, group)),
    ...(await perPerson('batch', HEAD_AND_OFFICE, batch)),
    ...(await perPerson('term', EDIT_PEOPLE, term)),
  };
}
