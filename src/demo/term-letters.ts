import type { LocalDate, MessageKind, MessageTone, YearGroup } from '../db/schema.ts';

/**
 * What the school sent home in the autumn term of 2026, as data: the head's Friday newsletters,
 * class newsletters, letters, praise, a closure by text, one individual message and one to the PTA.
 * messages.ts turns each into a draft and sends it with the real sendMessage, at the time given here
 * (school-local). The translations are in term-translations.ts.
 */

/** The demo's "today": a Monday late in the autumn term. Reads stop just before it. */
export const DEMO_TODAY: LocalDate = '2026-11-23';
export const READS_UNTIL = '2026-11-23T07:00:00.000Z';

/** Named pupils from JOURNEYS.md, or some pupils of a year group chosen by the seeded generator. */
export type PupilPick = { named: 'kuba' | 'ola' | 'lily' | 'leo' | 'ayaan' } | { year: YearGroup; count: number };

export type AudienceSpec =
  { kind: 'school' } | { kind: 'years'; years: YearGroup[] } | { kind: 'classes'; years: YearGroup[] } | { kind: 'group'; group: string } | { kind: 'pupils'; pupils: PupilPick[] };

export type TermLetter = {
  /** A short name for tests and translations. */
  key: string;
  date: LocalDate;
  /** School-local wall-clock time, 'HH:mm'. */
  time: string;
  /** A staff key from people.ts. */
  author: string;
  kind: MessageKind;
  tone: MessageTone;
  subject: string;
  body: string;
  audience: AudienceSpec;
  ack?: boolean;
};

const sign = (who: string) => `\n\n${who}`;
const PATEL = sign('Mrs Patel, head teacher');

function newsletter(key: string, date: LocalDate, subject: string, paragraphs: string[]): TermLetter {
  return {
    key,
    date,
    time: '15:30',
    author: 'head',
    kind: 'newsletter',
    tone: 'information',
    subject,
    body: `Dear families,\n\n${paragraphs.join('\n\n')}${PATEL}`,
    audience: { kind: 'school' },
  };
}

export const NEWSLETTERS: TermLetter[] = [
  newsletter('news-09-04', '2026-09-04', 'Friday newsletter: 4 September', [
    'Welcome back, and a special welcome to the 26 families joining us in Reception and to everyone new to Brookfield. The children have settled quickly and the school has been full of chatter all week.',
    'This year every letter from school comes through Gatepost. You can read it in the email we send, or sign in to see everything in one place. If you would rather have letters on paper, or in another language, tell the office.',
    'Gates open at 8:40am and close at 8:55am. Please collect your child from the playground at 3:20pm.',
    'Meet the teacher: each class teacher will hold a short meeting after school in the next two weeks. Your child’s class newsletter will give the date.',
  ]),
  newsletter('news-09-11', '2026-09-11', 'Friday newsletter: 11 September', [
    'Thank you to everyone who came to meet their child’s teacher this week. If you could not come, the teachers are happy to talk at the door at the end of the day.',
    'Breakfast club starts on Monday at 7:45am in the hall. It costs £2 a morning and is free for children who have free school meals.',
    'Please label everything: we already have a box of twelve identical navy jumpers.',
  ]),
  newsletter('news-09-18', '2026-09-18', 'Friday newsletter: 18 September', [
    'Our harvest collection for the Brookfield food bank starts on Monday. Tins, pasta, rice and cereal are most useful; please bring them to the hall before school.',
    'Year 6 families: secondary school applications close on 31 October. Mr Ellison is holding a help session on Thursday at 3:30pm in the library for anyone who would like help with the form.',
    'A reminder that the car park is for staff and blue badge holders only. Please park on Mill Lane and walk the last few minutes.',
  ]),
  newsletter('news-09-25', '2026-09-25', 'Friday newsletter: 25 September', [
    'Thank you for the food bank donations: 214 items so far. The food bank will collect them next Friday.',
    'School photographs are on Tuesday 6 October. Brothers and sisters can have a photo together before school from 8:15am.',
    'Our new reading partners have started: parents and grandparents who hear children read for half an hour a week. If you would like to join them, please tell the office.',
  ]),
  newsletter('news-10-02', '2026-10-02', 'Friday newsletter: 2 October', [
    'We are looking for new members of the Parent Teacher Association (PTA). They meet once a month on a Tuesday evening and run the Christmas fair. Everyone is welcome, even if you can only help once.',
    'Attendance last month was 96.1%. Every day counts: if your child is ill, please ring the office before 9:30am.',
    'Year 3 visit Brookfield Museum on Wednesday 14 October. Thank you to the parents who have offered to help.',
  ]),
  newsletter('news-10-09', '2026-10-09', 'Friday newsletter: 9 October', [
    'Black History Month: this month every class is learning about people who changed Britain. Year 5 have made a fantastic display in the hall about Walter Tull.',
    'Flu vaccinations for Reception to Year 6 will be on Tuesday 24 November. The nurses will send the consent form by email next week.',
    'Lost property is on the rack by the office. Anything unnamed goes to the charity shop at half term.',
  ]),
  newsletter('news-10-16', '2026-10-16', 'Friday newsletter: 16 October', [
    'Year 3 had a wonderful day at Brookfield Museum. The staff there told us they were the best-behaved group they had all term.',
    'Our coffee morning for new families is on Wednesday at 9am in the community room. Come and meet other parents, the PTA and Ms Lewis, our family liaison officer.',
    'The clocks go back next Sunday, 25 October. It gets dark early: please make sure children walking home can be seen.',
  ]),
  newsletter('news-10-23', '2026-10-23', 'Friday newsletter: 23 October', [
    'It is half term next week. School opens again on Monday 2 November at 8:40am.',
    'Thank you to everyone who filled in our short survey about how we keep in touch. The most common request was fewer emails with everything in one place, which is why we now send one newsletter on a Friday.',
    'Have a restful week.',
  ]),
  newsletter('news-11-06', '2026-11-06', 'Friday newsletter: 6 November', [
    'Welcome back. The children have come back ready to learn. Mrs Dobson has joined the office team: you will hear her voice when you ring.',
    'Remembrance: on Wednesday at 11am the whole school will keep a two-minute silence. Children in uniformed groups may wear their uniform.',
    'Road safety: the council will paint the zig-zag lines outside school on Saturday. Please do not park on them.',
  ]),
  newsletter('news-11-13', '2026-11-13', 'Friday newsletter: 13 November', [
    'Thank you for your patience on Thursday, when we had to close because the heating failed. The boiler was mended the same evening and the school is warm again.',
    'Anti-bullying week starts on Monday. Every class will talk about being kind online and in the playground. Children may wear odd socks on Monday to show that everyone is different.',
    'Flu vaccinations for Reception to Year 6 are on Tuesday 24 November. If you have not sent back the consent form, please do so by Monday.',
    'The PTA Christmas fair is on Saturday 5 December from 11am to 2pm in the hall. They would love donations of bottles and toys for the tombola.',
  ]),
  newsletter('news-11-20', '2026-11-20', 'Friday newsletter: 20 November', [
    'Well done to the children for a thoughtful anti-bullying week. Year 4 wrote a class promise that is now on the wall by the office.',
    'Christmas lunch is on Thursday 10 December. Please tell the office by Friday 27 November if your child will have it; it is free for children in Reception to Year 2.',
    'Winter weather: if we ever have to close, we will text every family by 7am and put a notice on Gatepost. Please check that the office has your current mobile number.',
  ]),
];

/** Next Friday's newsletter, written and waiting to go at 4pm. */
export const SCHEDULED_NEWSLETTER = {
  key: 'news-11-27',
  time: '16:00',
  subject: 'Friday newsletter: 27 November',
  body:
    'Dear families,\n\nThank you to everyone who came to the flu vaccination session and to the parents who helped at the gate.\n\n' +
    'Dates for the spring term: school starts on Wednesday 6 January, because Tuesday 5 January is an INSET day. ' +
    'The EYFS team will send Nursery and Reception families a letter about stay-and-play mornings.\n\n' +
    'The PTA Christmas fair is next Saturday, 5 December, from 11am.' +
    PATEL,
};

/** A letter Mrs Bennett has started and not sent. */
export const DRAFT_LETTER = {
  key: 'draft-stay-and-play',
  author: 'reception',
  kind: 'letter' as const,
  subject: 'Stay and play in Reception',
  body:
    'Dear Reception families,\n\nAs part of the EYFS curriculum we are holding stay-and-play sessions on Tuesday mornings in January. ' +
    'You will see how your child learns through play and the phonics we use. Each session lasts 45 minutes.\n\nMrs Bennett',
  years: ['R'] as YearGroup[],
};

function classNewsletter(key: string, date: LocalDate, author: string, year: YearGroup, subject: string, body: string): TermLetter {
  return { key, date, time: '16:15', author, kind: 'class_newsletter', tone: 'information', subject, body, audience: { kind: 'classes', years: [year] } };
}

export const CLASS_NEWSLETTERS: TermLetter[] = [
  classNewsletter(
    'y3-welcome',
    '2026-09-08',
    'y3',
    '3',
    'Welcome to Year 3',
    'Dear families,\n\nWelcome to 3 Okafor. This half term we are learning about the Stone Age, place value to 1,000 and the story "Stone Age Boy".\n\n' +
      'PE is on Tuesday and Thursday: please send a PE kit on those days. Reading books change on Monday and Friday. ' +
      'Please read with your child for ten minutes a day and sign the reading record.\n\n' +
      'Meet the teacher is on Thursday 10 September at 3:30pm in the classroom.\n\nMr Okafor',
  ),
  classNewsletter(
    'r-welcome',
    '2026-09-09',
    'reception',
    'R',
    'Welcome to Reception Robins',
    'Dear families,\n\nThe children have had a lovely first week. They are learning the classroom routines, making friends and starting phonics with the sounds s, a, t and p.\n\n' +
      'Please send a named water bottle and a spare set of clothes in a bag.\n\nMrs Bennett',
  ),
  classNewsletter(
    'n-welcome',
    '2026-09-10',
    'nursery',
    'N',
    'Settling into Nursery Owls',
    'Dear families,\n\nThank you for helping your child settle. We will share photos of their play on Gatepost each week.\n\n' +
      'Please tell us if someone new is collecting your child: we will only let them go with a person you have named.\n\nMiss Price',
  ),
  classNewsletter(
    'y6-year',
    '2026-09-15',
    'y6',
    '6',
    'Year 6: the year ahead',
    'Dear families,\n\nYear 6 is a big year. This term: World War II, fractions and persuasive writing. The national tests are in May; there is a meeting about them in January.\n\n' +
      'Homework is set on Friday and due on Wednesday.\n\nMr Ellison',
  ),
  classNewsletter(
    'y3-autumn1',
    '2026-10-21',
    'y3',
    '3',
    '3 Okafor: what we learned this half term',
    'Dear families,\n\nWhat a half term. The children built a Stone Age shelter in the wildlife area, learned their 3 and 4 times tables and wrote their own stories about a day in the Stone Age.\n\n' +
      'Over half term, please keep reading together and practise the 4 times table.\n\nMr Okafor',
  ),
  classNewsletter(
    'y3-autumn2',
    '2026-11-03',
    'y3',
    '3',
    '3 Okafor: Romans and rivers',
    'Dear families,\n\nThis half term we are learning about the Romans in Britain, rivers in geography, and multiplying by 8. Our class book is "Escape from Pompeii".\n\n' +
      'If you have a cardboard box at home, we would love it for making Roman shields.\n\nMr Okafor',
  ),
  classNewsletter(
    'y1-autumn2',
    '2026-11-04',
    'y1',
    '1',
    '1 Coles: this half term',
    'Dear families,\n\nThis half term Year 1 are learning about toys from the past, adding and taking away within 20, and the phonics sounds ai, ee, igh and oa.\n\n' +
      'If grandparents have an old toy they could show us, please send a photo.\n\nMs Coles',
  ),
  classNewsletter(
    'y4-autumn2',
    '2026-11-05',
    'y4',
    '4',
    '4 Hall: this half term',
    'Dear families,\n\nYear 4 are learning about the Anglo-Saxons, electricity and multiplication facts up to 12 × 12. The times tables check is in June, so a few minutes of practice at home each day helps a lot.\n\nMs Hall',
  ),
  classNewsletter(
    'y5-autumn2',
    '2026-11-05',
    'y5',
    '5',
    '5 Fraser: Space and forces',
    'Dear families,\n\nI am delighted to be teaching Year 5. This half term we are learning about the solar system, forces and decimals. We are visiting the planetarium in January; a letter will follow.\n\nMr Fraser',
  ),
  classNewsletter(
    'y2-autumn2',
    '2026-11-09',
    'y2',
    '2',
    '2 Morgan: the Great Fire of London',
    'Dear families,\n\nYear 2 are learning about the Great Fire of London. On Friday 4 December we will build a Tudor street and (safely) see how quickly the fire spread.\n\nMrs Morgan',
  ),
];

export const LETTERS: TermLetter[] = [
  {
    key: 'y3-trip',
    date: '2026-09-29',
    time: '15:45',
    author: 'y3',
    kind: 'letter',
    tone: 'information',
    subject: 'Year 3 trip to Brookfield Museum, Wednesday 14 October',
    body:
      'Dear families,\n\nOn Wednesday 14 October Year 3 will visit Brookfield Museum for a Stone Age workshop. We will walk there and back and be in school for lunch.\n\n' +
      'There is no cost. Please send your child in school uniform with a coat and a water bottle.\n\n' +
      'Please tell us you have read this letter by Friday 9 October. If you could help walk with the class, please tell the office.\n\nMr Okafor',
    audience: { kind: 'classes', years: ['3'] },
    ack: true,
  },
  {
    key: 'christmas-performances',
    date: '2026-11-16',
    time: '15:45',
    author: 'reception',
    kind: 'letter',
    tone: 'information',
    subject: 'Christmas performances for Nursery to Year 2',
    body:
      'Dear families,\n\nOur Christmas performance, "The Hungry Shepherd", is on Tuesday 8 December at 2pm and Wednesday 9 December at 9:30am, in the hall. Each family may have two seats at one performance.\n\n' +
      'Your child’s teacher will tell you their part and the costume in the next week. Please do not buy anything: a T-shirt and tea towel are perfect.\n\nMrs Bennett',
    audience: { kind: 'years', years: ['N', 'R', '1', '2'] },
  },
  {
    key: 'pta-fair',
    date: '2026-11-10',
    time: '18:30',
    author: 'deputy',
    kind: 'letter',
    tone: 'information',
    subject: 'Christmas fair: helpers on Saturday 5 December',
    body:
      'Dear PTA members,\n\nThank you for coming on Tuesday. As agreed, we need two people on each stall for an hour. The rota is pinned in the staff room and the office has a copy.\n\n' +
      'Setting up starts at 9:30am. Please tell me which hour you can do by Friday 27 November.\n\nMr Green',
    audience: { kind: 'group', group: 'PTA' },
  },
];

/** Heating failure: the office texts every family before 7am. */
export const CLOSURE: TermLetter = {
  key: 'closure-heating',
  date: '2026-11-12',
  time: '06:40',
  author: 'head',
  kind: 'urgent',
  tone: 'concern',
  subject: 'School closed today: heating failure',
  body: 'The heating has failed and the classrooms are too cold. The school is closed today, Thursday 12 November. We will text you by 6pm about tomorrow.',
  audience: { kind: 'school' },
};

export const CLOSURE_DAY = { starts_on: '2026-11-12', ends_on: '2026-11-12', reason: 'Emergency closure: heating failure' };

export const INDIVIDUAL: TermLetter = {
  key: 'leo-review',
  date: '2026-11-17',
  time: '12:20',
  author: 'senco',
  kind: 'individual',
  tone: 'information',
  subject: 'Leo’s annual review: Tuesday 8 December',
  body:
    'Dear Mrs Mensah and Ms Ward,\n\nLeo’s annual review of his education, health and care plan will be on Tuesday 8 December at 2pm in the meeting room. ' +
    'Please bring anything you would like us to read beforehand, and tell me if that time is hard for either of you.\n\nMr Hughes, SENCO',
  audience: { kind: 'pupils', pupils: [{ named: 'leo' }] },
};

function praise(key: string, date: LocalDate, time: string, author: string, pupils: PupilPick[], subject: string, body: string): TermLetter {
  return { key, date, time, author, kind: 'praise', tone: 'good_news', subject, body, audience: { kind: 'pupils', pupils } };
}

/** Praise from the classroom, a few words at a time: Mr Okafor sends the most. */
export const PRAISE: TermLetter[] = [
  praise(
    'praise-09-15',
    '2026-09-15',
    '15:25',
    'y3',
    [{ named: 'kuba' }, { year: '3', count: 2 }],
    'Fantastic reading today',
    'Fantastic reading today: read aloud to the class with real expression. Well done! Mr Okafor',
  ),
  praise('praise-09-22', '2026-09-22', '12:10', 'reception', [{ named: 'ola' }], 'A great start to phonics', 'Knew every sound we learned this week and helped a friend with theirs. Mrs Bennett'),
  praise('praise-09-24', '2026-09-24', '10:35', 'y3', [{ year: '3', count: 2 }], 'Super times tables', 'Knew all the 3 times table facts in today’s quiz. Mr Okafor'),
  praise('praise-09-30', '2026-09-30', '15:20', 'y2', [{ year: '2', count: 1 }], 'A kind friend', 'Looked after a new classmate all day without being asked. Mrs Morgan'),
  praise('praise-10-01', '2026-10-01', '15:30', 'y4', [{ named: 'leo' }], 'Great effort in maths', 'Kept going with a tricky problem and got there. Ms Hall'),
  praise('praise-10-06', '2026-10-06', '14:50', 'y3', [{ named: 'lily' }, { year: '3', count: 1 }], 'Brilliant questions', 'Asked brilliant questions when we talked about our museum trip. Mr Okafor'),
  praise('praise-10-08', '2026-10-08', '15:15', 'y5', [{ year: '5', count: 2 }], 'Excellent science investigation', 'Planned a fair test all by themselves. Mr Fraser'),
  praise('praise-10-13', '2026-10-13', '11:45', 'nursery', [{ named: 'ayaan' }], 'A lovely painting', 'Painted a beautiful picture of his family and told us all about it. Miss Price'),
  praise('praise-10-15', '2026-10-15', '15:40', 'y6', [{ year: '6', count: 1 }], 'A persuasive speech', 'Gave a confident, persuasive speech to the class. Mr Ellison'),
  praise('praise-10-20', '2026-10-20', '12:05', 'y3', [{ year: '3', count: 1 }], 'Kind to a new classmate', 'Showed our new classmate around and played with him at lunch. Mr Okafor'),
  praise(
    'praise-11-04',
    '2026-11-04',
    '15:25',
    'y3',
    [{ named: 'kuba' }, { year: '3', count: 2 }],
    'Fantastic reading today',
    'Fantastic reading today: found the clues in "Escape from Pompeii" before anyone else. Mr Okafor',
  ),
  praise('praise-11-11', '2026-11-11', '13:10', 'y3', [{ year: '3', count: 3 }], 'A great Roman shield', 'Made a great Roman shield and explained how the testudo worked. Mr Okafor'),
  praise('praise-11-10', '2026-11-10', '15:35', 'reception', [{ year: 'R', count: 2 }], 'Wonderful writing', 'Wrote their name all by themselves today. Mrs Bennett'),
  praise('praise-11-17', '2026-11-17', '15:20', 'y4', [{ year: '4', count: 2 }], 'A thoughtful class promise', 'Wrote a thoughtful line for our anti-bullying class promise. Ms Hall'),
  praise('praise-11-18', '2026-11-18', '15:30', 'y3', [{ year: '3', count: 1 }], 'Star of the week', 'Star of the week for trying hard in every lesson. Mr Okafor'),
  praise('praise-11-19', '2026-11-19', '10:50', 'y1', [{ year: '1', count: 2 }], 'Super adding', 'Added numbers to 20 using a number line, all by themselves. Ms Coles'),
];

/** Everything sent this term, in the order it was sent. */
export function termLetters(): TermLetter[] {
  const all = [...NEWSLETTERS, ...CLASS_NEWSLETTERS, ...LETTERS, CLOSURE, INDIVIDUAL, ...PRAISE];
  return all.sort((a, b) => `${a.date}T${a.time}`.localeCompare(`${b.date}T${b.time}`));
}
