import type { QuestionKind, SurveyAudienceKind } from '../../db/schema.ts';

/**
 * Question sets a school starts from. Each question has a key that stays with every copy
 * (survey_questions.template_question), so the same statement in two surveys can be compared
 * (before → after). Where the wording came from: docs/surveys.md.
 */
export type TemplateQuestion = { key: string; section: string; kind: QuestionKind; text: string; options?: string[]; required?: boolean };
export type Template = { key: string; name: string; audience: SurveyAudienceKind; anonymous: boolean; intro: string; questions: TemplateQuestion[] };

const agree = (key: string, section: string, text: string): TemplateQuestion => ({ key, section, kind: 'agree', text, required: true });

/**
 * Ofsted Parent View, the set used from November 2025 (10 items). Where each wording came from, and
 * which are confirmed against Ofsted's own words: docs/surveys.md "Question sets". Scale: Strongly
 * agree / Agree / Disagree / Strongly disagree / Don't know.
 */
const PARENT_VIEW: Template = {
  key: 'parent_view',
  name: 'Ofsted Parent View questions',
  audience: 'carers',
  anonymous: true,
  intro: 'These are the questions Ofsted asks parents on Parent View. Your answers help us see what we do well and what to improve.',
  questions: [
    agree('parent_view.happy', 'Your child at this school', 'My child is happy at this school.'),
    agree('parent_view.safe', 'Your child at this school', 'My child feels safe at this school.'),
    agree('parent_view.behaviour', 'Your child at this school', 'The school makes sure its pupils are well behaved.'),
    agree('parent_view.bullying', 'Your child at this school', 'The school deals with any bullying quickly and effectively.'),
    {
      key: 'parent_view.send',
      section: 'Your child at this school',
      kind: 'single',
      // Ofsted's words (gov.uk "Ofsted Parent View: toolkit for schools", revision of 27 November 2025).
      // Parent View asks it only of parents who say their child has SEND; one question here, with that answer as an option.
      text: 'My child has SEND, and the school gives them the support they need to succeed.',
      options: ['Strongly agree', 'Agree', 'Disagree', 'Strongly disagree', 'Don’t know', 'My child does not have SEND'],
    },
    agree('parent_view.communication', 'The school and you', 'The school communicates well with me about the things I need to know.'),
    {
      key: 'parent_view.concerns',
      section: 'The school and you',
      kind: 'single',
      text: 'If I have raised a concern with the school, it has been dealt with properly.',
      options: ['Strongly agree', 'Agree', 'Disagree', 'Strongly disagree', 'Don’t know', 'I have not raised any concerns'],
    },
    agree('parent_view.best_interests', 'The school and you', 'The school makes decisions with my child’s best interests at heart.'),
    agree('parent_view.support_to_learn', 'Learning', 'My child gets the right support to learn well at this school.'),
    { key: 'parent_view.recommend', section: 'Learning', kind: 'yes_no', text: 'Would you recommend this school to another parent?', required: true },
  ],
};

/** Seed 000 (the partnership work's baseline and follow-up): the staff statements. */
const PARTNERSHIP_STAFF: Template = {
  key: 'partnership_staff',
  name: 'Family partnership: staff statements',
  audience: 'staff',
  anonymous: true,
  intro: 'How our school works with parents and carers. We ask the same statements again later in the year to see what has changed.',
  questions: [
    agree('partnership.staff_development', 'Working with parents', 'Our school provides staff development on building positive relationships with parents.'),
    agree('partnership.unconscious_bias', 'Working with parents', 'Our school provides information or training for staff on unconscious bias in relation to parents and carers.'),
    agree('partnership.engagement_policy', 'Working with parents', 'Our school has a parent or family engagement policy.'),
    agree('partnership.policy_reviews', 'Working with parents', 'Our school involves parents when reviewing school policies or introducing new ones.'),
    { key: 'partnership.staff_comment', section: 'Anything else', kind: 'long_text', text: 'What would help you work better with parents and carers?' },
  ],
};

/** Seed 000: the parent statement, with the ways of hearing from families in seed 002. */
const PARTNERSHIP_PARENTS: Template = {
  key: 'partnership_parents',
  name: 'Family partnership: parent statements',
  audience: 'carers',
  anonymous: true,
  intro: 'How well does our school work with you? We ask the same questions again later in the year to see what has changed.',
  questions: [
    agree('partnership.positive_relationships', 'You and the school', 'Teaching staff build positive relationships with parents.'),
    agree('partnership.feel_valued', 'You and the school', 'I feel my views are listened to and valued by the school.'),
    agree('partnership.parents_policy_reviews', 'You and the school', 'The school involves parents when reviewing its policies.'),
    {
      key: 'partnership.hear_from_us',
      section: 'Hearing from us',
      kind: 'multiple',
      text: 'How do you like to hear from the school?',
      options: ['Email', 'Text message', 'Gatepost app', 'Paper letter', 'A word at the gate', 'Phone call'],
    },
    { key: 'partnership.parent_comment', section: 'Anything else', kind: 'long_text', text: 'What one thing would make it easier for you to work with the school?' },
  ],
};

/** A short pupil survey, read aloud or on paper with younger children (keyed in by staff). */
const PUPILS: Template = {
  key: 'pupils',
  name: 'Short pupil survey',
  audience: 'carers',
  anonymous: true,
  intro: 'A few quick questions for your child to answer with you.',
  questions: [
    { key: 'pupils.happy', section: 'At school', kind: 'yes_no', text: 'Are you happy at school?', required: true },
    { key: 'pupils.adult', section: 'At school', kind: 'yes_no', text: 'Is there an adult at school you can talk to if you are worried?', required: true },
    { key: 'pupils.safe', section: 'At school', kind: 'yes_no', text: 'Do you feel safe at school?', required: true },
    { key: 'pupils.best', section: 'At school', kind: 'short_text', text: 'What is the best thing about school?' },
  ],
};

export const TEMPLATES: readonly Template[] = [PARENT_VIEW, PARTNERSHIP_PARENTS, PARTNERSHIP_STAFF, PUPILS];

export function templateOf(key: string): Template | undefined {
  return TEMPLATES.find((t) => t.key === key);
}
