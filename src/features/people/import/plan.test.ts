import { describe, expect, it } from 'vitest';
import type { ExistingCarer, ExistingLink } from './match-carers.ts';
import { planContacts, type ContactSnapshot } from './plan-contacts.ts';
import { planPupils, type ExistingPupil, type PupilSnapshot } from './plan-pupils.ts';
import { readContactsFile, readPupilsFile } from './read-file.ts';

const TODAY = '2026-11-23';
const HEADER = 'UPN,Legal Forename,Legal Surname,Date of Birth,Year Group,Reg Group,SEN Status';

function pupilPlan(text: string, snapshot: PupilSnapshot) {
  const file = readPupilsFile(text, TODAY);
  if (!file.ok) throw new Error(file.message);
  return planPupils(file.results, snapshot, file.columns.unused);
}
function contactPlan(text: string, snapshot: ContactSnapshot) {
  const file = readContactsFile(text);
  if (!file.ok) throw new Error(file.message);
  return planContacts(file.results, snapshot, file.columns.header.pupil_upn, file.columns.unused);
}

const existing = (over: Partial<ExistingPupil>): ExistingPupil => ({
  id: 'p1',
  upn: 'H801200001001',
  given_name: 'Amy',
  family_name: 'Jones',
  preferred_name: null,
  date_of_birth: '2019-02-01',
  year_group: '3',
  class_id: 'c3',
  send_status: 'none',
  eal: 0,
  home_language: null,
  archived_at: null,
  ...over,
});

describe('planning a pupils file', () => {
  const snapshot: PupilSnapshot = {
    pupils: [
      existing({}),
      existing({ id: 'p2', upn: 'H801200001009', given_name: 'Left', family_name: 'Early' }),
      existing({ id: 'p3', upn: 'H801200001008', given_name: 'Gone', archived_at: '2026-01-01T00:00:00.000Z' }),
    ],
    classes: [{ id: 'c3', name: '3 Okafor', year_group: '3' }],
  };

  it('adds new pupils, changes existing ones field by field, and lists pupils not in the file', () => {
    const plan = pupilPlan(
      [
        HEADER,
        'H801200001001,Amy,Jones-Smith,01/02/2019,Year 4,4 Hall,K',
        'H801200001002,Zoë,Brown,03/09/2018,3,3 okafor,',
        'H801200001003,Ben,Brown,03/09/2018,3,4 Hall,N',
        'bad,Cat,Brown,03/09/2018,3,,',
      ].join('\n'),
      snapshot,
    );
    expect(plan.adds.map((a) => [a.line, a.upn, a.values.given_name, a.values.class_name])).toEqual([
      [3, 'H801200001002', 'Zoë', '3 Okafor'], // the existing class, whatever the case in the file
      [4, 'H801200001003', 'Ben', '4 Hall'],
    ]);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ line: 2, id: 'p1', set: { family_name: 'Jones-Smith', year_group: '4', class_name: '4 Hall', send_status: 'sen_support' } });
    expect(plan.changes[0]!.changes).toEqual([
      { field: 'Legal surname', before: 'Jones', after: 'Jones-Smith' },
      { field: 'Year group', before: 'Year 3', after: 'Year 4' },
      { field: 'Reg group', before: '3 Okafor', after: '4 Hall' },
      { field: 'SEN status', before: 'None', after: 'SEN support' },
    ]);
    expect(plan.newClasses).toEqual([{ name: '4 Hall', year_group: '4' }]);
    expect(plan.rejects.map((r) => r.line)).toEqual([5]);
    expect(plan.notInFile).toEqual([{ upn: 'H801200001009', name: 'Left Early' }]); // archived pupils are not listed
    expect(plan.toImport).toBe(3);
  });

  it('changes nothing when the file says what Gatepost already has, and leaves unstated fields alone', () => {
    const plan = pupilPlan('UPN,Forename,Surname,DOB,Year\nH801200001001,Amy,Jones,2019-02-01,Y3\n', snapshot);
    expect(plan).toMatchObject({ adds: [], changes: [], unchanged: 1, toImport: 0 });
  });

  it('lets good rows through when others are rejected', () => {
    const plan = pupilPlan([HEADER, 'H801200001004,Amy,<script>,01/02/2019,3,,', 'H801200001005,Kit,Lee,01/02/2019,3,,'].join('\n'), snapshot);
    expect(plan.rejects).toEqual([{ line: 2, who: 'Amy <script> (H801200001004)', key: 'H801200001004', problems: [{ field: 'Legal Surname', message: 'Surname must not contain < > { } or \\' }] }]);
    expect(plan.adds.map((a) => a.line)).toEqual([3]);
  });
});

const CONTACT_HEADER = 'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Mobile,Parental Responsibility,Priority';
const pupilsForContacts = [
  { id: 'kuba', upn: 'UPN1', given_name: 'Jakub', family_name: 'Nowak' },
  { id: 'ola', upn: 'UPN2', given_name: 'Aleksandra', family_name: 'Nowak' },
  { id: 'lily', upn: 'UPN3', given_name: 'Lily', family_name: 'Dean' },
];
const carer = (over: Partial<ExistingCarer>): ExistingCarer => ({
  id: 'marta',
  title: null,
  given_name: 'Marta',
  family_name: 'Nowak',
  email: 'marta@families.test',
  mobile: '07700900001',
  address_line1: null,
  address_line2: null,
  town: null,
  postcode: null,
  preferred_language: 'Polish',
  interpreter_needed: 0,
  ...over,
});
const link = (over: Partial<ExistingLink>): ExistingLink => ({
  id: 'l1',
  carer_id: 'marta',
  pupil_id: 'kuba',
  relationship: 'mother',
  parental_responsibility: 1,
  lives_with_pupil: 1,
  contact_priority: 1,
  may_receive_information: 1,
  wants_copies: 0,
  ...over,
});
const empty: ContactSnapshot = { pupils: pupilsForContacts, pendingUpns: new Set(), turnedDown: new Map(), carers: [], links: [], restricted: new Set() };

describe('planning a contacts file', () => {
  it('makes one carer of a parent listed once per child, linked to both', () => {
    const plan = contactPlan([CONTACT_HEADER, 'UPN1,Marta,Nowak,Mother,marta@families.test,,Y,1', 'UPN2,Marta,Nowak,Mum,MARTA@families.test,,Y,1'].join('\n'), empty);
    expect(plan.carerAdds).toHaveLength(1);
    expect(plan.carerAdds[0]).toMatchObject({ lines: [2, 3], name: 'Marta Nowak', values: { email: 'marta@families.test', preferred_language: 'English' } });
    expect(plan.linkAdds.map((l) => [l.pupilId, l.carer])).toEqual([
      ['kuba', { kind: 'new', key: 'new:2' }],
      ['ola', { kind: 'new', key: 'new:2' }],
    ]);
    expect(plan.toImport).toBe(2);
  });

  it('keeps two parents who share a family email as two carers', () => {
    const plan = contactPlan([CONTACT_HEADER, 'UPN1,Marta,Nowak,Mother,nowaks@families.test,,,', 'UPN1,Tomasz,Nowak,Father,nowaks@families.test,,,'].join('\n'), empty);
    expect(plan.carerAdds.map((c) => c.name)).toEqual(['Marta Nowak', 'Tomasz Nowak']);
    expect(plan.linkAdds.map((l) => [l.values.contact_priority, l.values.parental_responsibility, l.values.may_receive_information])).toEqual([
      [1, 1, 1],
      [2, 1, 1],
    ]);
  });

  it('matches a carer already linked to the pupil by name, even when the email changed, and shows the change', () => {
    const snapshot = { ...empty, carers: [carer({})], links: [link({})] };
    const plan = contactPlan([CONTACT_HEADER, 'UPN1,marta,NOWAK,Mother,marta.new@families.test,07700 900 001,Y,1', 'UPN2,Marta,Nowak,Mother,marta.new@families.test,,Y,1'].join('\n'), snapshot);
    expect(plan.carerAdds).toEqual([]);
    expect(plan.carerChanges).toHaveLength(1);
    expect(plan.carerChanges[0]!.changes).toEqual([
      { field: 'Forename', before: 'Marta', after: 'marta' },
      { field: 'Surname', before: 'Nowak', after: 'NOWAK' },
      { field: 'Email', before: 'marta@families.test', after: 'marta.new@families.test' },
    ]);
    expect(plan.linkAdds.map((l) => [l.pupilId, l.carer])).toEqual([['ola', { kind: 'existing', id: 'marta' }]]);
    expect(plan.unchanged).toBe(0);
  });

  it('matches a carer of the school by name and email or mobile for a pupil they are not yet linked to', () => {
    const snapshot = { ...empty, carers: [carer({})], links: [link({})] };
    const plan = contactPlan([CONTACT_HEADER, 'UPN3,Marta,Nowak,Other relative,,07700900001,N,3'].join('\n'), snapshot);
    expect(plan.carerAdds).toEqual([]);
    expect(plan.linkAdds).toMatchObject([{ pupilId: 'lily', carer: { kind: 'existing', id: 'marta' }, values: { relationship: 'other_relative', parental_responsibility: 0, contact_priority: 3 } }]);
    // A different person with the same email is not matched.
    const other = contactPlan([CONTACT_HEADER, 'UPN3,Tomasz,Nowak,Father,marta@families.test,,Y,1'].join('\n'), snapshot);
    expect(other.carerAdds.map((c) => c.name)).toEqual(['Tomasz Nowak']);
  });

  it('shows link changes before → after, and nothing when the file matches', () => {
    const snapshot = { ...empty, carers: [carer({})], links: [link({})] };
    const same = contactPlan([CONTACT_HEADER, 'UPN1,Marta,Nowak,Mother,marta@families.test,07700900001,Y,1'].join('\n'), snapshot);
    expect(same).toMatchObject({ carerAdds: [], carerChanges: [], linkAdds: [], linkChanges: [], unchanged: 1, toImport: 0 });
    const changed = contactPlan([CONTACT_HEADER, 'UPN1,Marta,Nowak,Mother,marta@families.test,07700900001,N,2'].join('\n'), snapshot);
    expect(changed.linkChanges[0]!.changes).toEqual([
      { field: 'Parental responsibility', before: 'Yes', after: 'No' },
      { field: 'Priority', before: '1', after: '2' },
    ]);
  });

  it('rejects a contact whose pupil is unknown, one waiting for a pupils file, and the same contact twice for one pupil', () => {
    const snapshot = { ...empty, pendingUpns: new Set(['UPN9']) };
    const plan = contactPlan(
      [CONTACT_HEADER, 'UPN8,Jo,Bloggs,Mother,,,,', 'UPN9,Jo,Bloggs,Mother,,,,', 'UPN1,Marta,Nowak,Mother,marta@families.test,,,', 'UPN1,Marta,Nowak,Mother,marta@families.test,,,'].join('\n'),
      snapshot,
    );
    expect(plan.rejects.map((r) => [r.line, r.problems[0]!.field, r.problems[0]!.message])).toEqual([
      [2, 'Pupil UPN', 'No pupil with UPN UPN8 is in the school or in the pupils file'],
      [3, 'Pupil UPN', 'Pupil UPN9 is in a pupils file that has not been imported yet. Import the pupils file first, then come back to this page'],
      [5, 'Pupil UPN', 'Marta Nowak is already listed for Jakub Nowak on line 4: each carer must be on one row per pupil'],
    ]);
    expect(plan.carerAdds).toMatchObject([{ lines: [4] }]);
    expect(plan.toImport).toBe(1);
  });

  it('names an unknown pupil on a row turned down for another reason too, so the row is corrected in one go', () => {
    const plan = contactPlan([CONTACT_HEADER, 'UPN8,Petro,Bondar,Father,petro@example,,,'].join('\n'), empty);
    expect(plan.rejects).toHaveLength(1);
    expect(plan.rejects[0]!.line).toBe(2);
    expect(plan.rejects[0]!.problems.map((p) => p.field)).toEqual(['Pupil UPN', 'Email']);
    expect(plan.rejects[0]!.problems[0]!.message).toBe('No pupil with UPN UPN8 is in the school or in the pupils file');
    // A known pupil adds nothing to the row's problems.
    const known = contactPlan([CONTACT_HEADER, 'UPN1,Petro,Bondar,Father,petro@example,,,'].join('\n'), empty);
    expect(known.rejects[0]!.problems.map((p) => p.field)).toEqual(['Email']);
  });
});

describe('what the records system says about a contact', () => {
  const HEADER = 'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Parental Responsibility,Receives Correspondence';

  it('lets anyone with parental responsibility or who lives with the child receive information when the file does not say (DfE guidance)', () => {
    const plan = contactPlan(
      [
        'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Parental Responsibility,Lives With Pupil',
        'UPN3,Faduma,Warsame,Grandmother,,N,Y',
        'UPN3,Amina,Warsame,Aunt,amina@families.test,N,N',
        'UPN3,Abdi,Warsame,Father,abdi@families.test,Y,N',
      ].join('\n'),
      empty,
    );
    expect(plan.linkAdds.map((l) => [l.carerName, l.values.may_receive_information])).toEqual([
      ['Faduma Warsame', 1], // raising him: care of the child
      ['Amina Warsame', 0], // a contact only
      ['Abdi Warsame', 1], // parental responsibility, lives apart
    ]);
  });

  it('records a court order in force for a new contact who then gets nothing: no link to information, no channel', () => {
    const plan = contactPlan(
      [
        'Pupil UPN,Contact Forename,Contact Surname,Relationship,Email,Parental Responsibility,Receives Correspondence,Court Order',
        'UPN3,Mark,Dean,Father,mark@families.test,Y,Y,Prohibited steps order <2024>',
        'UPN3,Sarah,Dean,Mother,sarah@families.test,Y,Y,N',
      ].join('\n'),
      empty,
    );
    expect(plan.restrictionAdds).toEqual([
      { line: 2, carer: { kind: 'new', key: 'new:2' }, carerName: 'Mark Dean', pupilId: 'lily', pupilName: 'Lily Dean', said: [{ column: 'Court Order', says: 'Prohibited steps order 2024' }] },
    ]);
    expect(plan.linkAdds.map((l) => [l.carerName, l.values.may_receive_information])).toEqual([
      ['Mark Dean', 0], // the file said "Receives Correspondence: Y"; the court order wins
      ['Sarah Dean', 1],
    ]);
    expect(plan.carerAdds.map((c) => [c.name, c.restricted])).toEqual([
      ['Mark Dean', true],
      ['Sarah Dean', false],
    ]);
  });

  it('reads "no contact" and "parental responsibility restricted" columns as other systems name them, and a plain N as none', () => {
    const plan = contactPlan([`${HEADER},Do Not Contact,PR Restricted`, 'UPN3,Mark,Dean,Father,,Y,,Yes,', 'UPN1,Tomasz,Nowak,Father,,Y,,,Y', 'UPN2,Tomasz,Nowak,Father,,Y,,No,N'].join('\n'), empty);
    expect(plan.restrictionAdds.map((r) => [r.line, r.said])).toEqual([
      [2, [{ column: 'Do Not Contact', says: null }]],
      [3, [{ column: 'PR Restricted', says: null }]],
    ]);
  });

  it('restricts an existing carer’s link, changing "receives correspondence", and adds no second restriction when one is in force', () => {
    const snapshot = {
      ...empty,
      carers: [carer({ id: 'mark', given_name: 'Mark', family_name: 'Dean', email: 'mark@families.test' })],
      links: [link({ id: 'l9', carer_id: 'mark', pupil_id: 'lily', relationship: 'father' })],
    };
    const file = [`${HEADER},Court Order`, 'UPN3,Mark,Dean,Father,mark@families.test,Y,,Y'].join('\n');
    const plan = contactPlan(file, snapshot);
    expect(plan.restrictionAdds).toMatchObject([{ line: 2, carer: { kind: 'existing', id: 'mark' }, pupilId: 'lily' }]);
    expect(plan.linkChanges[0]!.changes).toEqual([{ field: 'Receives correspondence', before: 'Yes', after: 'No' }]);
    expect(plan.toImport).toBe(1);

    const already = contactPlan(file, {
      ...snapshot,
      links: [link({ id: 'l9', carer_id: 'mark', pupil_id: 'lily', relationship: 'father', may_receive_information: 0 })],
      restricted: new Set(['mark|lily']),
    });
    expect(already).toMatchObject({ restrictionAdds: [], linkChanges: [], unchanged: 1, toImport: 0 });
  });

  it('stores a single Address column and addresses on several lines', () => {
    const plan = contactPlan(
      [
        'Pupil UPN,Contact Forename,Contact Surname,Relationship,Address',
        'UPN1,Marta,Nowak,Mother,"Flat 2\n12 Mill Lane\nBrookfield\nbf1 3cd"',
        'UPN3,Sarah,Dean,Mother,"7 The Green, Brookfield, BF1 2AB"',
      ].join('\n'),
      empty,
    );
    expect(plan.carerAdds.map((c) => [c.values.address_line1, c.values.address_line2, c.values.town, c.values.postcode])).toEqual([
      ['Flat 2', '12 Mill Lane', 'Brookfield', 'BF1 3CD'],
      ['7 The Green', null, 'Brookfield', 'BF1 2AB'],
    ]);
    const lines = contactPlan(
      ['Pupil UPN,Contact Forename,Contact Surname,Relationship,Address Line 1,Address Line 3,Town,Postcode', 'UPN1,Marta,Nowak,Mother,"Flat 2\r\n12 Mill Lane",Riverside,Brookfield,BF1 3CD'].join(
        '\n',
      ),
      empty,
    );
    expect(lines.rejects).toEqual([]);
    expect(lines.carerAdds[0]!.values).toMatchObject({ address_line1: 'Flat 2, 12 Mill Lane', address_line2: 'Riverside', town: 'Brookfield', postcode: 'BF1 3CD' });
  });

  it('says when a contact’s pupil was turned down by the pupils file, imported or waiting', () => {
    const turnedDown = new Map([
      ['UPN8', { line: 9, fileName: 'pupils.csv', imported: true, problems: 'DOB: Date of birth must be in the past' }],
      ['UPN9', { line: 4, fileName: 'new-pupils.csv', imported: false, problems: 'Year: Enter the year group' }],
    ]);
    const plan = contactPlan([CONTACT_HEADER, 'UPN8,Jo,Bloggs,Mother,,,,', 'UPN9,Jo,Bloggs,Mother,,,,'].join('\n'), { ...empty, turnedDown });
    expect(plan.rejects.map((r) => r.problems[0]!.message)).toEqual([
      'The row for pupil UPN8 was turned down on line 9 of the pupils file "pupils.csv" (DOB: Date of birth must be in the past), so Gatepost does not have this pupil. Correct the pupil in the records system and import the pupils file again, then this contacts file',
      'The row for pupil UPN9 is turned down on line 4 of the pupils file "new-pupils.csv" (Year: Enter the year group), so it will not be imported. Correct the pupil in the records system and upload the pupils file again, then this contacts file',
    ]);
  });
});

describe('a UPN on two rows of a pupils file', () => {
  it('imports the first row and turns down the later one', () => {
    const plan = pupilPlan([HEADER, 'H801200001004,Amy,Jones,01/02/2019,3,,', 'H801200001005,Ben,Jones,01/02/2019,3,,', 'H801200001004,Amy,Jonse,01/02/2019,3,,'].join('\n'), {
      pupils: [],
      classes: [],
    });
    expect(plan.adds.map((a) => [a.line, a.values.family_name])).toEqual([
      [2, 'Jones'],
      [3, 'Jones'],
    ]);
    expect(plan.rejects).toEqual([
      {
        line: 4,
        who: 'Amy Jonse (H801200001004)',
        key: 'H801200001004',
        problems: [{ field: 'UPN', message: 'UPN H801200001004 is already on line 2 of this file. Each pupil must be on one row: line 2 is the one read, and this row is turned down' }],
      },
    ]);
  });
});
