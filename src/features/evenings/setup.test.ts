import { describe, expect, it } from 'vitest';
import {
  bookingWindow,
  checkEvening,
  clockChangeProblem,
  diffSlots,
  eveningStatus,
  plannedSlots,
  publishProblems,
  readPlaces,
  resolveTeachers,
  sessionErrors,
  sessionLines,
  type EveningInput,
  type SchoolClasses,
} from './setup.ts';
import { formValuesOf, readEveningForm } from './setup-form.ts';
import { notBookedView, WHOLE_LIST_UP_TO, type WaitingFamily } from './setup-overview.ts';
import type { Session } from './slots.ts';

const TZ = 'Europe/London';
const after = (s: Session): Session => ({ ...s });
const autumn: Session = { date: '2026-11-26', starts: '15:30', ends: '18:30', slotMinutes: 10, breaks: [{ starts: '17:00', ends: '17:20' }] };
const morning: Session = { date: '2026-11-27', starts: '08:00', ends: '09:00', slotMinutes: 10, breaks: [] };

const school: SchoolClasses = {
  classes: [
    { id: 'y3', name: '3 Okafor', teacherIds: ['okafor'] },
    { id: 'y4', name: '4 Hall', teacherIds: ['hall'] },
    { id: 'nursery', name: 'Nursery', teacherIds: [] },
  ],
  staffNames: new Map([
    ['okafor', 'Mr Okafor'],
    ['hall', 'Ms Hall'],
    ['bell', 'Ms Bell'],
  ]),
};

const input: EveningInput = {
  name: "Autumn parents' evening",
  sessions: [autumn, morning],
  classIds: ['y3', 'y4'],
  teacherIds: [],
  modes: ['in_person', 'video'],
  travelGapMinutes: 5,
  separatedCarers: 'own',
  bookingOpens: { date: '2026-11-02', time: '18:00' },
  bookingCloses: { date: '2026-11-25', time: '12:00' },
};

/** Errors as a page draws them (an error naming a teacher is already-escaped Html). */
const drawn = (errors: Record<string, unknown>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)]));

describe("setting up a parents' evening", () => {
  it('accepts a sensible evening: teachers from the classes, booking times as instants, sessions in time order', () => {
    const checked = checkEvening({ ...input, sessions: [morning, autumn] }, school, TZ);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.teacherIds.sort()).toEqual(['hall', 'okafor']);
    expect(checked.value.bookingOpensAt).toBe('2026-11-02T18:00:00.000Z');
    expect(checked.value.bookingClosesAt).toBe('2026-11-25T12:00:00.000Z');
    expect(checked.value.sessions.map((s) => s.date)).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('puts each session problem beside its own field', () => {
    expect(sessionErrors([{ ...autumn, slotMinutes: 25, breaks: [] }], TZ)).toEqual({
      s1_slot_minutes: '25-minute slots do not fit the 180 minutes of the session: change the times or the slot length',
    });
    expect(sessionErrors([autumn, { ...morning, breaks: [{ starts: '09:00', ends: '09:10' }] }], TZ)).toEqual({ s2_break_starts: 'Session 2: breaks must fall inside the session' });
    expect(sessionErrors([autumn, { ...morning, ends: '07:00' }], TZ)).toEqual({ s2_ends: 'Session 2: the session must end after it starts' });
    expect(sessionErrors([], TZ)).toEqual({ s1_date: 'Enter the date and times of the evening' });
  });

  it('refuses two sessions at the same time of day, naming the later one', () => {
    const errors = sessionErrors([autumn, { ...after(autumn), starts: '18:00', ends: '19:00', breaks: [] }], TZ);
    expect(errors).toEqual({ s2_starts: 'The sessions on 2026-11-26 overlap (15:30–18:30 and 18:00–19:00): give each session its own time of day' });
    expect(sessionErrors([autumn, { ...morning, date: '2026-11-26' }], TZ)).toEqual({});
  });

  it('refuses a session the clocks change during, but not an evening on the day they change', () => {
    expect(clockChangeProblem({ date: '2026-10-25', starts: '00:30', ends: '03:00', slotMinutes: 10, breaks: [] }, TZ)).toMatch(/clocks change/);
    expect(clockChangeProblem({ date: '2026-03-29', starts: '01:30', ends: '03:00', slotMinutes: 10, breaks: [] }, TZ)).toMatch(/clocks change/);
    expect(clockChangeProblem({ date: '2026-10-25', starts: '17:00', ends: '19:00', slotMinutes: 10, breaks: [] }, TZ)).toBeNull();
    expect(sessionErrors([{ date: '2026-10-25', starts: '00:30', ends: '03:00', slotMinutes: 10, breaks: [] }], TZ)).toHaveProperty('s1_starts');
  });

  it('makes slots at the right instants on both clock-change Sundays of 2026', () => {
    const back = plannedSlots([{ date: '2026-10-25', starts: '17:00', ends: '17:30', slotMinutes: 10, breaks: [] }], ['okafor'], TZ);
    expect(back.map((s) => s.startsAt)).toEqual(['2026-10-25T17:00:00.000Z', '2026-10-25T17:10:00.000Z', '2026-10-25T17:20:00.000Z']);
    const forward = plannedSlots([{ date: '2026-03-29', starts: '17:00', ends: '17:20', slotMinutes: 10, breaks: [] }], ['okafor', 'hall'], TZ);
    expect(forward.map((s) => `${s.staffId} ${s.startsAt}`)).toEqual([
      'okafor 2026-03-29T16:00:00.000Z',
      'okafor 2026-03-29T16:10:00.000Z',
      'hall 2026-03-29T16:00:00.000Z',
      'hall 2026-03-29T16:10:00.000Z',
    ]);
  });

  it('checks the booking window: a real school time, closing after opening and before the first session ends', () => {
    expect(bookingWindow({ date: '2026-11-25', time: '12:00' }, { date: '2026-11-02', time: '18:00' }, [autumn], TZ)).toEqual({
      ok: false,
      errors: { closes_date: 'Booking must close after it opens' },
    });
    const late = bookingWindow({ date: '2026-11-02', time: '18:00' }, { date: '2026-11-26', time: '18:30' }, [morning, autumn], TZ);
    expect(late).toEqual({ ok: false, errors: { closes_date: 'Booking must close before the first session ends (26 November 2026 at 6:30pm)' } });
    expect(bookingWindow({ date: '2026-03-29', time: '01:30' }, { date: '2026-10-25', time: '01:30' }, [], TZ)).toEqual({
      ok: false,
      errors: { opens_date: 'The clocks go forward then, so that time does not exist: choose another time', closes_date: 'The clocks go back then, so that time happens twice: choose another time' },
    });
    // During the first session is fine (families book late for the second).
    expect(bookingWindow({ date: '2026-11-02', time: '18:00' }, { date: '2026-11-26', time: '16:00' }, [autumn], TZ).ok).toBe(true);
  });

  it('says when a chosen class has no teacher, a chosen teacher teaches none of the classes, or a class has no chosen teacher', () => {
    expect(resolveTeachers(['y3', 'nursery'], [], school)).toEqual({ ok: false, errors: { class_ids: "Nursery has no class teacher: give it one in the school's records first, or leave it out" } });
    expect(resolveTeachers(['y3'], ['okafor', 'bell'], school)).toEqual({ ok: false, errors: { teacher_ids: 'Ms Bell teaches none of the chosen classes: choose their classes too, or untick them' } });
    expect(resolveTeachers(['y3', 'y4'], ['okafor'], school)).toEqual({ ok: false, errors: { teacher_ids: 'Nobody chosen teaches 4 Hall: choose its teacher, or leave the class out' } });
    expect(resolveTeachers(['y3', 'y4'], ['hall', 'okafor'], school)).toEqual({ ok: true, value: ['hall', 'okafor'] });
    expect(resolveTeachers(['y3', 'elsewhere'], [], school)).toEqual({ ok: false, errors: { class_ids: 'Choose classes from the list' } });
  });

  it('collects every problem of an evening at once', () => {
    const checked = checkEvening({ ...input, name: ' ', modes: [], travelGapMinutes: 45, classIds: ['nursery'], bookingCloses: { date: '2026-11-01', time: '09:00' } }, school, TZ);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(['class_ids', 'closes_date', 'modes', 'name', 'travel_gap']);
  });

  it('keeps slots that stay, adds new ones and removes the rest when an evening changes', () => {
    const planned = plannedSlots([{ date: '2026-11-26', starts: '15:30', ends: '16:00', slotMinutes: 10, breaks: [] }], ['okafor'], TZ);
    const existing = [
      { id: 'a', staffId: 'okafor', startsAt: '2026-11-26T15:30:00.000Z', endsAt: '2026-11-26T15:40:00.000Z' },
      { id: 'b', staffId: 'okafor', startsAt: '2026-11-26T15:40:00.000Z', endsAt: '2026-11-26T15:55:00.000Z' },
      { id: 'c', staffId: 'hall', startsAt: '2026-11-26T15:30:00.000Z', endsAt: '2026-11-26T15:40:00.000Z' },
    ];
    const diff = diffSlots(existing, planned);
    expect(diff.keep).toEqual([{ id: 'a', sessionIndex: 0 }]);
    expect(diff.add.map((s) => s.startsAt)).toEqual(['2026-11-26T15:40:00.000Z', '2026-11-26T15:50:00.000Z']);
    expect(diff.remove.sort()).toEqual(['b', 'c']);
  });

  it('publishes only when every teacher has a room (in person) and a link (video)', () => {
    const teachers = [
      { staffId: 'okafor', name: 'Mr Okafor', room: 'Room 3', videoLink: null },
      { staffId: 'hall', name: 'Ms Hall', room: null, videoLink: 'https://meet.example.org/hall' },
    ];
    // Each teacher's name isolated in the error (drawn as it is on the page).
    expect(drawn(publishProblems(['in_person', 'video'], teachers))).toEqual({ link_okafor: 'Enter a video link for <bdi>Mr Okafor</bdi>', room_hall: 'Enter a room for <bdi>Ms Hall</bdi>' });
    expect(publishProblems(['phone'], teachers)).toEqual({});
    expect(publishProblems(['in_person'], [])).toHaveProperty('_form');
  });

  it('reads rooms and links, refusing a link that is not a full https address', () => {
    const teachers = [{ staffId: 'okafor', name: 'Mr Okafor' }];
    expect(readPlaces({ room_okafor: ' Room  3 ', link_okafor: 'https://meet.example.org/okafor' }, teachers, true)).toEqual({
      ok: true,
      value: [{ staffId: 'okafor', room: 'Room 3', videoLink: 'https://meet.example.org/okafor' }],
    });
    const refused = readPlaces({ room_okafor: '', link_okafor: 'meet.example.org' }, [{ staffId: 'okafor', name: 'Mr <b>Okafor</b>' }], true);
    expect(!refused.ok && drawn(refused.errors)).toEqual({ link_okafor: 'Enter the video link for <bdi>Mr &lt;b&gt;Okafor&lt;/b&gt;</bdi> as a full web address starting https://' });
    expect(readPlaces({ link_okafor: 'javascript:alert(1)' }, teachers, true).ok).toBe(false);
    // Without video, a link is ignored.
    expect(readPlaces({ room_okafor: 'Hall', link_okafor: 'nonsense' }, teachers, false)).toEqual({ ok: true, value: [{ staffId: 'okafor', room: 'Hall', videoLink: null }] });
  });

  it('tells draft, published, open and closed apart', () => {
    const e = { published_at: null as string | null, booking_opens_at: '2026-11-02T18:00:00.000Z', booking_closes_at: '2026-11-25T12:00:00.000Z' };
    expect(eveningStatus(e, new Date('2026-11-10T00:00:00Z'))).toBe('draft');
    e.published_at = '2026-10-01T00:00:00.000Z';
    expect(eveningStatus(e, new Date('2026-11-02T17:59:59Z'))).toBe('upcoming');
    expect(eveningStatus(e, new Date('2026-11-02T18:00:00Z'))).toBe('open');
    expect(eveningStatus(e, new Date('2026-11-25T12:00:00Z'))).toBe('closed');
  });

  it('describes sessions in school words', () => {
    expect(sessionLines([autumn])).toEqual(['Thursday 26 November 2026, 3:30pm to 6:30pm (break 5:00pm to 5:20pm), 10-minute appointments']);
  });
});

describe('the set-up form', () => {
  const filled = {
    _csrf: 'x',
    name: "Autumn parents' evening",
    s1_date: '2026-11-26',
    s1_starts: '15:30',
    s1_ends: '18:30',
    s1_slot_minutes: '10',
    s1_break_starts: '17:00',
    s1_break_ends: '17:20',
    s2_date: '2026-11-27',
    s2_starts: '8.00',
    s2_ends: '9:00',
    s2_slot_minutes: '10',
    class_ids: ['y3', 'y4'],
    modes: 'in_person',
    travel_gap: '5',
    separated_carers: 'join',
    opens_date: '2026-11-02',
    opens_time: '18:00',
    closes_date: '2026-11-25',
    closes_time: '12:00',
  };

  it('reads a filled form into typed input (times like 8.00 become 08:00)', () => {
    const form = readEveningForm(filled, TZ);
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect(form.data.sessions).toEqual([autumn, morning]);
    expect(form.data).toMatchObject({ classIds: ['y3', 'y4'], teacherIds: [], modes: ['in_person'], travelGapMinutes: 5, separatedCarers: 'join' });
    expect(readEveningForm(formValuesOf(form.data), TZ)).toEqual({ ok: true, data: form.data });
  });

  it('shows every problem at once and keeps what was typed', () => {
    const form = readEveningForm(
      {
        ...filled,
        name: '',
        s1_slot_minutes: 'ten',
        s3_date: '2026-11-28',
        s2_date: '',
        s2_starts: '',
        s2_ends: '',
        s2_slot_minutes: '',
        class_ids: undefined,
        modes: ['in_person', 'carrier pigeon'],
        travel_gap: '31',
        opens_time: '6',
        closes_date: undefined,
        'closes_date-day': '31',
        'closes_date-month': '11',
        'closes_date-year': '2026',
      },
      TZ,
    );
    expect(form.ok).toBe(false);
    if (form.ok) return;
    expect(form.errors).toMatchObject({
      name: 'Enter a name for the parents’ evening',
      s1_slot_minutes: 'Enter the length of each appointment in minutes, like 10',
      s3_starts: 'Enter the start time of session 3, like 15:30',
      s2_date: 'Fill in session 2 before session 3',
      class_ids: 'Choose at least one class',
      modes: 'Choose ways to meet from the list',
      travel_gap: 'The time between appointments must be from 0 to 30 minutes',
      opens_time: 'Say whether 6 is in the morning or afternoon, like 6am or 6pm',
      closes_date: 'The date booking closes must be a real date',
    });
    expect(form.values).toMatchObject({ s1_slot_minutes: 'ten', s3_date: '2026-11-28', opens_time: '6', 'closes_date-day': '31', 'closes_date-month': '11' });
    expect(form.values).not.toHaveProperty('_csrf');
  });

  it('reads dates and times as UK offices type them', () => {
    const form = readEveningForm({ ...filled, s1_date: '26 Nov 2026', s1_starts: '3.30pm', s1_ends: '6:30 pm', opens_date: '2/11/2026', opens_time: '6pm' }, TZ);
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect(form.data.sessions[0]).toMatchObject({ date: '2026-11-26', starts: '15:30', ends: '18:30' });
    expect(form.data.bookingOpens).toEqual({ date: '2026-11-02', time: '18:00' });
  });

  it('reads the dates from GOV.UK’s three boxes, with GOV.UK’s messages beside the boxes', () => {
    const boxes = (name: string, day: string, month: string, year: string) => ({ [name]: undefined, [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year });
    const form = readEveningForm({ ...filled, ...boxes('s1_date', '26', '11', '2026'), ...boxes('s2_date', '27', 'Nov', '2026'), ...boxes('opens_date', '2', '11', '2026') }, TZ);
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect(form.data.sessions.map((s) => s.date)).toEqual(['2026-11-26', '2026-11-27']);
    expect(form.data.bookingOpens).toEqual({ date: '2026-11-02', time: '18:00' });

    const wrong = readEveningForm({ ...filled, ...boxes('s1_date', '', '', ''), ...boxes('s2_date', '27', '', '2026'), ...boxes('opens_date', '2', '11', '26') }, TZ);
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.errors).toMatchObject({
      s1_date: 'Enter the date of the evening',
      s2_date: 'The date of session 2 must include a month',
      opens_date: 'Year must include 4 numbers',
    });
    // An empty later session (its boxes sent empty) is left out, not an error.
    const one = readEveningForm({ ...filled, ...boxes('s2_date', '', '', ''), s2_starts: '', s2_ends: '', s2_slot_minutes: '' }, TZ);
    expect(one.ok && one.data.sessions.length).toBe(1);
  });

  it('checks the sessions themselves once their fields are readable', () => {
    const form = readEveningForm({ ...filled, s2_date: '2026-11-26', s2_starts: '18:00', s2_ends: '19:00' }, TZ);
    expect(form.ok).toBe(false);
    if (form.ok) return;
    expect(form.errors.s2_starts).toMatch(/overlap/);
  });
});

describe('the list of families who have not booked', () => {
  const family = (n: number, className: string, pupil = `Child ${n}`, carer = `Parent ${n}`): WaitingFamily => ({
    pupilId: `p${n}`,
    pupilName: pupil,
    classId: `id-${className}`,
    className,
    carers: [{ id: `c${n}`, name: carer, mobile: null, email: null }],
  });
  const many = [
    ...Array.from({ length: 20 }, (_, i) => family(i, '3 Okafor')),
    ...Array.from({ length: 20 }, (_, i) => family(100 + i, 'Reception Robins')),
    family(200, 'Reception Robins', 'Aleksandra Nowak', 'Marta Nowak'),
    family(201, '3 Okafor', 'Zoë Łukasik', 'Paweł Łukasik'),
  ];

  it('is not shown whole when long: the classes, with how many in each, are offered instead', () => {
    const view = notBookedView(many, {});
    expect(view).toMatchObject({ total: 42, tooMany: true, shown: [] });
    expect(view.classes).toEqual([
      { id: 'id-3 Okafor', name: '3 Okafor', count: 21 },
      { id: 'id-Reception Robins', name: 'Reception Robins', count: 21 },
    ]);
  });

  it('is shown whole when short', () => {
    const few = many.slice(0, WHOLE_LIST_UP_TO);
    expect(notBookedView(few, {})).toMatchObject({ tooMany: false, shown: few });
  });

  it('finds a family by any part of a child’s or a parent’s name, ignoring case and accents, within a class', () => {
    expect(notBookedView(many, { q: 'marta' }).shown.map((f) => f.pupilName)).toEqual(['Aleksandra Nowak']);
    expect(notBookedView(many, { q: '  ZOE  łukasik ' }).shown.map((f) => f.pupilName)).toEqual(['Zoë Łukasik']);
    expect(notBookedView(many, { q: 'paweł' }).shown.map((f) => f.pupilName)).toEqual(['Zoë Łukasik']);
    expect(notBookedView(many, { q: 'nowak', class: 'id-3 Okafor' }).shown).toEqual([]);
    expect(notBookedView(many, { class: 'id-Reception Robins' }).shown).toHaveLength(21);
    // A class not on the list is ignored rather than hiding everyone.
    expect(notBookedView(many.slice(0, 3), { class: 'Nowhere' })).toMatchObject({ classId: '', shown: many.slice(0, 3) });
  });
});
