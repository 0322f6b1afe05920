/**
 * The table types: one source of truth for both databases.
 * Conventions (see docs/architecture.md):
 * - ids are random text made in the app (UUIDv7);
 * - instants are ISO-8601 UTC text ('2026-11-23T16:20:00.000Z'), school-local dates are 'YYYY-MM-DD';
 * - yes/no columns are integers 0/1 on both databases (Flag);
 * - every school-owned row carries school_id.
 */
import type { Generated } from 'kysely';

export type Flag = 0 | 1;
export type Instant = string;
export type LocalDate = string;

export type StaffRole = 'head' | 'senior_leader' | 'teacher' | 'office' | 'dsl' | 'deputy_dsl' | 'senco' | 'family_liaison' | 'governor';

export type YearGroup = 'N' | 'R' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12' | '13';
export type SendStatus = 'none' | 'sen_support' | 'ehcp';
export type Relationship = 'mother' | 'father' | 'step_parent' | 'foster_carer' | 'grandparent' | 'other_relative' | 'family_friend' | 'social_worker' | 'other';

export interface SchoolTable {
  id: string;
  name: string;
  urn: string;
  phase: 'nursery' | 'primary' | 'secondary' | 'all_through' | 'special';
  time_zone: string;
  colour: string;
  teachers_see_all_pupils: Flag;
  created_at: Instant;
  /** How newsletters and letters reach a carer with a mobile but no email: on paper, or a text with a link to read it in Gatepost. */
  mobile_only_letters: Generated<MobileOnlyLetters>;
}

export type MobileOnlyLetters = 'paper' | 'text';

/** What every request carries of its school (settings a feature needs are read where they are used). */
export type SchoolRow = Omit<SchoolTable, 'mobile_only_letters'>;

export interface SchoolTermTable {
  id: string;
  school_id: string;
  name: string;
  starts_on: LocalDate;
  ends_on: LocalDate;
}

export interface SchoolClosureTable {
  id: string;
  school_id: string;
  starts_on: LocalDate;
  ends_on: LocalDate;
  reason: string;
}

export interface StaffTable {
  id: string;
  school_id: string;
  email: string;
  title: string;
  given_name: string;
  family_name: string;
  job_title: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: Instant | null;
  archived_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface StaffRoleTable {
  staff_id: string;
  school_id: string;
  role: StaffRole;
}

export interface ClassTable {
  id: string;
  school_id: string;
  name: string;
  year_group: YearGroup;
  archived_at: Instant | null;
}

export interface ClassTeacherTable {
  class_id: string;
  staff_id: string;
  school_id: string;
}

export interface PupilTable {
  id: string;
  school_id: string;
  upn: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: LocalDate;
  year_group: YearGroup;
  class_id: string | null;
  send_status: SendStatus;
  eal: Flag;
  home_language: string | null;
  archived_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface CarerTable {
  id: string;
  school_id: string;
  title: string | null;
  given_name: string;
  family_name: string;
  email: string | null;
  mobile: string | null;
  address_line1: string | null;
  address_line2: string | null;
  town: string | null;
  postcode: string | null;
  preferred_language: string;
  interpreter_needed: Flag;
  channel_email: Flag;
  channel_sms: Flag;
  channel_app: Flag;
  paper_copies: Flag;
  access_needs: string | null;
  password_hash: string | null;
  archived_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface CarerPupilTable {
  id: string;
  school_id: string;
  carer_id: string;
  pupil_id: string;
  relationship: Relationship;
  parental_responsibility: Flag;
  lives_with_pupil: Flag;
  contact_priority: number;
  may_receive_information: Flag;
  wants_copies: Flag;
}

export interface RestrictionTable {
  id: string;
  school_id: string;
  pupil_id: string;
  carer_id: string;
  kind: 'court_order' | 'agreed_arrangement';
  stops_information: Flag;
  stops_collection: Flag;
  stops_contact: Flag;
  details: string;
  starts_on: LocalDate;
  ends_on: LocalDate | null;
  lifted_at: Instant | null;
  created_by: string | null;
  created_at: Instant;
  /** 1: recorded by an import from the records system; in force, and the head or DSL has still to complete its details. */
  details_pending: Generated<Flag>;
}

export interface SessionTable {
  id: string; // sha256 of the cookie token
  user_kind: 'staff' | 'carer';
  user_id: string;
  school_id: string;
  csrf_token: string;
  second_factor_pending: Flag;
  created_at: Instant;
  last_seen_at: Instant;
}

export interface SignInTokenTable {
  id: string; // the selector, sent in the link
  school_id: string;
  carer_id: string;
  kind: 'link' | 'code';
  verifier_hash: string;
  expires_at: Instant;
  used_at: Instant | null;
  created_by: string | null;
  created_at: Instant;
}

/** Failed sign-in guesses and link requests, counted per bucket and key (platform/auth/rate-limit.ts). */
export interface SignInCounterTable {
  bucket: string;
  key: string;
  count: number;
  /** The end of this count's window: the next failure after it starts counting from 1 again. */
  resets_at: Instant;
  last_at: Instant;
}

export interface AuditLogTable {
  id: string;
  school_id: string | null;
  at: Instant;
  actor_kind: 'staff' | 'carer' | 'system';
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
}

export interface ImportBatchTable {
  id: string;
  school_id: string;
  kind: 'pupils' | 'contacts';
  file_name: string;
  csv_text: string;
  created_by: string;
  created_at: Instant;
  applied_at: Instant | null;
  /** Pupils files: classes the file names, matched on the dry run to an existing class ({ "name in lower case": class id }). */
  class_choices_json: string | null;
}

/** An attendance file from the records system (0053, features/attendance): checked, then saved once. */
export interface AttendanceImportTable {
  id: string;
  school_id: string;
  /** The day the figures are counted up to, as the uploader gave it. */
  as_of: LocalDate;
  file_name: string;
  csv_text: string;
  row_count: number;
  created_by: string;
  created_at: Instant;
  /** Set once, when its figures are saved; null while it is a dry run. */
  applied_at: Instant | null;
  /** Set once, when each family was sent their child's figure from this import ("Tell families"). */
  families_told_at: Instant | null;
}

/** One pupil's attendance as of a date, from one saved import (history kept: the figures are never updated). */
export interface AttendanceFigureTable {
  id: string;
  school_id: string;
  import_id: string;
  pupil_id: string;
  as_of: LocalDate;
  sessions_possible: number;
  sessions_attended: number;
  authorised_absences: number | null;
  unauthorised_absences: number | null;
  created_at: Instant;
  /** The message telling the pupil's family this figure: claimed (as a draft) before it is sent. */
  told_message_id: string | null;
}

export type OutboxChannel = 'email' | 'sms';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: string;
  school_id: string | null;
  channel: OutboxChannel;
  /** One row per message × recipient × channel: writing the same key twice is a no-op. */
  idempotency_key: string;
  recipient: string;
  payload_json: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Instant;
  claimed_until: Instant | null;
  last_error: string | null;
  created_at: Instant;
  sent_at: Instant | null;
  /** What the send belongs to, e.g. a message_recipients id: for reach figures. */
  ref: string | null;
  /** The provider's own id for a text (Twilio's MessageSid), from its delivery receipt. */
  provider_ref: string | null;
  /** When the provider reported the text delivered to the phone. */
  delivered_at: Instant | null;
}

export type MessageKind = 'newsletter' | 'class_newsletter' | 'letter' | 'urgent' | 'praise' | 'individual';
export type MessageTone = 'good_news' | 'information' | 'concern';

export interface MessageTable {
  id: string;
  school_id: string;
  kind: MessageKind;
  tone: MessageTone;
  subject: string;
  body: string;
  /** Who it is for, validated with Zod (features/messages/audience.ts). */
  audience_json: string;
  asks_acknowledgement: Flag;
  status: 'draft' | 'scheduled' | 'sent';
  scheduled_for: Instant | null;
  sent_at: Instant | null;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface MessageTranslationTable {
  id: string;
  school_id: string;
  message_id: string;
  language: string;
  subject: string;
  body: string;
  source: 'person' | 'machine';
  status: 'requested' | 'written' | 'checked';
  written_by: string | null;
  /** The carer (a translating volunteer) who wrote it (migration 0051); null when staff or a machine did. */
  written_by_carer: string | null;
  checked_by: string | null;
  updated_at: Instant;
}

export interface MessageRecipientTable {
  id: string;
  school_id: string;
  message_id: string;
  carer_id: string;
  /** The children it is about, comma-separated ids and names as shown ("Kuba and Ola"). */
  pupil_ids: string;
  pupil_names: string;
  language: string;
  /** The channels it went by, comma-separated: app,email,sms,paper. */
  channels: string;
  /** A random token for the "read it" link in the email. */
  read_token: string;
  read_at: Instant | null;
  acknowledged_at: Instant | null;
  created_at: Instant;
}

export interface CarerGroupTable {
  id: string;
  school_id: string;
  name: string;
}

export interface CarerGroupMemberTable {
  group_id: string;
  carer_id: string;
  school_id: string;
}

export interface ContactLogTable {
  id: string;
  school_id: string;
  carer_id: string;
  staff_id: string;
  /** no_answer: tried to call or visit and nobody answered; it does not count as reaching them (0036). */
  kind: 'phone' | 'gate' | 'meeting' | 'home_visit' | 'other' | 'no_answer';
  note: string;
  at: Instant;
  /** The note is marked as a safeguarding concern (0046, platform/safeguarding): only the DSL and deputies read it. */
  safeguarding: Generated<Flag>;
}

/**
 * "Tell the DSL" (0049, features/safeguarding): what a member of staff saw or heard about a child,
 * passed straight to the DSL. Only the DSL and deputies read `what`; the writer keeps the date only.
 */
export interface DslReportTable {
  id: string;
  school_id: string;
  /** The pupil, when the writer chose one they may see; null for someone else or a name not known. */
  pupil_id: string | null;
  /** Someone else, or a child whose name the writer does not know: what they know of them (may be null). */
  other_name: string | null;
  what: string;
  /** The day it was seen or heard, in school time. */
  happened_on: LocalDate;
  written_by: string;
  created_at: Instant;
  /** "Pass this to the DSL" (0052): a parent's or carer's words, as they were when passed on; null from the menu. */
  quote: string | null;
  /** Where the words were: 'agenda_question' (meeting_agenda_items) or 'family_progress' (meeting_actions.carer_note). */
  quote_source: DslQuoteSource | null;
  quote_record_id: string | null;
  quote_meeting_id: string | null;
  /** The carer who wrote them, and when. */
  quote_carer_id: string | null;
  quote_written_at: Instant | null;
  /** What staff wrote (0055): the member of staff who wrote the words (quote_carer_id is null), and the page they were on. */
  quote_staff_id: string | null;
  quote_link: string | null;
}
/**
 * Where the words were. A family's: 'agenda_question', 'family_progress'. Staff's (0055): a meeting's
 * safety plan notes, a buddy match's check-in, a conduct incident or arrangement's reason, a staff-only
 * note on a pupil's profile, a volunteer's risk assessment.
 */
export type DslQuoteSource =
  | 'agenda_question'
  | 'family_progress'
  | 'safety_plan'
  | 'buddy_check_in'
  | 'conduct_incident'
  | 'conduct_arrangement'
  | 'profile_staff_note'
  | 'volunteer_risk_assessment'
  | 'consultation_comment'
  | 'survey_answer';

/**
 * A subject access or education record request (0054, features/subject-access): who asked, about whom,
 * when it came, when it is due, and how it ended. Only the head, senior leaders and the office read it.
 */
export interface AccessRequestTable {
  id: string;
  school_id: string;
  /** subject_access: UK GDPR, one calendar month; education_record: a maintained school's, 15 school days. */
  kind: AccessRequestKind;
  /** A carer of the school who asked; null when someone outside asked (requester_name then says who). */
  requester_carer_id: string | null;
  requester_name: string | null;
  /** How to reach someone outside (an address, an email, a solicitor's reference). */
  requester_contact: string | null;
  /** Whose data: a pupil of the school, the requester themselves, or someone else (about_other names them). */
  about: AccessRequestAbout;
  pupil_id: string | null;
  about_other: string | null;
  received_on: LocalDate;
  identity_checked: Flag;
  /** When the answer is due; moves once, when a subject access request is extended as complex. */
  due_on: LocalDate;
  /** Why it was extended (complex); null when it was not. */
  extended_reason: string | null;
  status: AccessRequestStatus;
  sent_on: LocalDate | null;
  refused_reason: string | null;
  closed_by: string | null;
  closed_at: Instant | null;
  created_by: string;
  created_at: Instant;
}
export type AccessRequestKind = 'subject_access' | 'education_record';
export type AccessRequestAbout = 'pupil' | 'requester' | 'other';
export type AccessRequestStatus = 'open' | 'sent' | 'refused';

export interface GlossaryTable {
  id: string;
  school_id: string;
  term: string;
  plain: string;
}

export type MeetingMode = 'in_person' | 'phone' | 'video';

/** A parents' evening: sessions, teachers and the classes whose families may book. */
export type SeparatedCarers = 'own' | 'join' | 'either';

export interface EveningTable {
  id: string;
  school_id: string;
  name: string;
  /** The ways families may meet, comma-separated MeetingMode values ('in_person,video'). */
  modes: string;
  /** Minutes a carer needs between two of their appointments (moving between rooms). */
  travel_gap_minutes: number;
  /** 'own': separated carers each book their own appointment; 'join': one appointment per child, the other carer joins it. */
  /** Parents who live apart: each books their own, one appointment per child they can join, or either. */
  separated_carers: SeparatedCarers;
  booking_opens_at: Instant;
  booking_closes_at: Instant;
  /** Families see the evening once it is published. */
  published_at: Instant | null;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface EveningSessionTable {
  id: string;
  school_id: string;
  evening_id: string;
  date: LocalDate;
  starts: string; // 'HH:mm' school time
  ends: string;
  slot_minutes: number;
  /** [{ starts: 'HH:mm', ends: 'HH:mm' }], validated with Zod where read. */
  breaks_json: string;
}

export interface EveningClassTable {
  evening_id: string;
  class_id: string;
  school_id: string;
}

export interface EveningTeacherTable {
  evening_id: string;
  staff_id: string;
  school_id: string;
  room: string | null;
  video_link: string | null;
}

/** One row per teacher per slot time, made when the evening is set up. */
export interface EveningSlotTable {
  id: string;
  school_id: string;
  evening_id: string;
  session_id: string;
  staff_id: string;
  starts_at: Instant;
  ends_at: Instant;
  /** The teacher marked it unavailable. */
  unavailable: Flag;
}

/**
 * An appointment at a parents' evening. Live while cancelled_at is null; 'held' rows are a
 * "book for me" proposal kept for a carer until hold_expires_at, then released (cancelled).
 * booking_key is the pupil id, or `pupil:carer` when separated carers book their own.
 */
export interface EveningBookingTable {
  id: string;
  school_id: string;
  evening_id: string;
  slot_id: string;
  staff_id: string;
  pupil_id: string;
  carer_id: string;
  starts_at: Instant;
  ends_at: Instant;
  booking_key: string;
  mode: MeetingMode;
  status: 'held' | 'booked';
  hold_id: string | null;
  hold_expires_at: Instant | null;
  booked_by_kind: 'carer' | 'staff';
  booked_by_id: string;
  created_at: Instant;
  cancelled_at: Instant | null;
  cancelled_by_kind: 'carer' | 'staff' | 'system' | null;
  cancelled_by_id: string | null;
  cancel_reason: string | null;
  /** How many times the appointment was moved to another time (0040): the calendar files' SEQUENCE. */
  moves: Generated<number>;
}

/** Who comes to a booking: the carer who booked it and anyone who joined it; one live row per carer per time. */
export interface EveningAttendeeTable {
  id: string;
  school_id: string;
  booking_id: string;
  carer_id: string;
  starts_at: Instant;
  joined: Flag;
  cancelled_at: Instant | null;
}

export interface EveningWaitingTable {
  id: string;
  school_id: string;
  evening_id: string;
  staff_id: string;
  pupil_id: string;
  carer_id: string;
  created_at: Instant;
  /** When a freed slot was offered to them. */
  told_at: Instant | null;
  removed_at: Instant | null;
}

/**
 * Help a carer asks for at a parents' evening (0048): one row per carer per evening, changed in place
 * (audited). Null language: no interpreter; null note: nothing else.
 */
export interface EveningNeedsTable {
  id: string;
  school_id: string;
  evening_id: string;
  carer_id: string;
  /** The language, as the school records carers' languages ("Polish"). */
  interpreter_language: string | null;
  /** Up to 300 characters: step-free access, a hearing loop, a quiet room… */
  access_note: string | null;
  changed_by_kind: 'carer' | 'staff';
  changed_by_id: string;
  created_at: Instant;
  updated_at: Instant;
}

/** Who interprets at a meeting. A child is never one (features/meetings: meetings-rules.ts). */
export type InterpreterBy = 'professional' | 'staff' | 'family';

export type MeetingKind = 'appointment' | 'induction' | 'home_visit' | 'meet_the_teacher' | 'progress' | 'parents_evening';
export type MeetingStatus = 'requested' | 'offered' | 'scheduled' | 'held' | 'cancelled';
/** What another page arranged a meeting for (0056): 'attendance' from the attendance list's link. */
export type MeetingPurpose = 'attendance';

/** A meeting with a family, from request to kept follow-up. */
export interface MeetingTable {
  id: string;
  school_id: string;
  kind: MeetingKind;
  status: MeetingStatus;
  topic: string;
  /** Arranged from another page for this (0056): 'attendance'; null otherwise. Staff may change the topic, never this. */
  purpose: MeetingPurpose | null;
  /** The carer's outline of what it is about (urgent requests go to a senior leader with this first). */
  outline: string | null;
  pupil_id: string | null;
  urgent: Flag;
  /** The carer's preferred times, in their words ("mornings before 9, or Thursday after 5"). */
  preferred_times: string | null;
  mode: MeetingMode;
  /** The language an interpreter is needed for; null when none is needed. */
  interpreter_language: string | null;
  /** Who interprets (migration 0047): null when nobody does or it is not decided yet. */
  interpreter_by: InterpreterBy | null;
  starts_at: Instant | null;
  ends_at: Instant | null;
  place: string | null;
  video_link: string | null;
  /** Set when the meeting is the record of a parents' evening appointment. */
  evening_booking_id: string | null;
  requested_by_carer_id: string | null;
  possibly_difficult: Flag;
  /** What was agreed overall, in plain words for the summary. */
  outcome: string | null;
  follow_up_on: LocalDate | null;
  follow_up_done_at: Instant | null;
  summary_sent_at: Instant | null;
  /** A fingerprint of the summary last sent (outcome, follow-up, actions): the same summary is never sent twice. */
  summary_version: string | null;
  referred_to: string | null;
  referred_at: Instant | null;
  referral_note: string | null;
  /** The outcome is marked as a safeguarding concern (0050, platform/safeguarding): only the DSL and deputies read it, and it never goes to the family. */
  outcome_safeguarding: Generated<Flag>;
  outcome_marked_by: string | null;
  outcome_marked_at: Instant | null;
  /** The referral note is marked as a safeguarding concern (0050): only the DSL and deputies read it. */
  referral_safeguarding: Generated<Flag>;
  referral_marked_by: string | null;
  referral_marked_at: Instant | null;
  created_by_kind: 'staff' | 'carer';
  created_by_id: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface MeetingStaffTable {
  meeting_id: string;
  staff_id: string;
  school_id: string;
  /** lead: runs it; colleague: second member of staff (home visits, difficult meetings); liaison: the FLO invited; preparer: helps the carer prepare. */
  role: 'lead' | 'colleague' | 'liaison' | 'preparer';
}

export interface MeetingCarerTable {
  meeting_id: string;
  carer_id: string;
  school_id: string;
  /** A familiar member of staff the carer asked to help them prepare. */
  prep_help_staff_id: string | null;
  prep_help_asked_at: Instant | null;
}

/** Times staff offer for a requested meeting; the carer chooses one. */
export interface MeetingOfferTable {
  id: string;
  school_id: string;
  meeting_id: string;
  starts_at: Instant;
  ends_at: Instant;
  chosen_at: Instant | null;
}

export interface MeetingAgendaItemTable {
  id: string;
  school_id: string;
  meeting_id: string;
  text: string;
  added_by_kind: 'staff' | 'carer';
  added_by_id: string;
  created_at: Instant;
}

/** Staff only. Saving one tells the head. */
export interface MeetingSafetyPlanTable {
  meeting_id: string;
  school_id: string;
  colleague_id: string | null;
  colleague_presence: 'in_room' | 'within_earshot' | 'on_standby';
  room: string;
  clear_route_out: Flag;
  neutral_and_private: Flag;
  notes: string | null;
  head_told_at: Instant | null;
  created_by: string;
  updated_at: Instant;
}

/** A note of a meeting. A safeguarding note is seen by the DSL and deputies only (each reading audited). */
export interface MeetingNoteTable {
  id: string;
  school_id: string;
  meeting_id: string;
  body: string;
  safeguarding: Flag;
  written_by: string;
  created_at: Instant;
}

/** What the school will do and what the carer will do, by when. */
export interface MeetingActionTable {
  id: string;
  school_id: string;
  meeting_id: string;
  owner_kind: 'school' | 'carer';
  staff_id: string | null;
  carer_id: string | null;
  what: string;
  due_on: LocalDate;
  done_at: Instant | null;
  /** The parent or carer who marked their own action done (0038); null when a member of staff did, or not done. */
  done_by_carer_id: string | null;
  /** What they wrote on how it is going (up to 500 characters): with "mark as done", or saved by itself (0044). */
  carer_note: string | null;
  /** When they wrote it (0044); null for a note from before, written when they marked it done. */
  carer_note_at: Instant | null;
  created_at: Instant;
}

/** Something a member of staff must see in the app (also emailed through the outbox). */
export interface StaffAlertTable {
  id: string;
  school_id: string;
  staff_id: string;
  kind: 'difficult_meeting' | 'safeguarding' | 'urgent_request' | 'referral' | 'meeting_request' | 'prep_help';
  title: string;
  link: string;
  created_at: Instant;
  seen_at: Instant | null;
}

/** A school's own words for one string of the carer's side, in one language (language: catalog code). */
export interface SchoolTextTable {
  school_id: string;
  language: string;
  key: string;
  text: string;
  updated_by: string;
  updated_at: Instant;
}

/** A fluent speaker's check of one language's strings, as the school recorded it. */
export interface LanguageCheckTable {
  school_id: string;
  language: string;
  checked_by: string;
  checked_on: LocalDate;
  recorded_by: string;
  recorded_at: Instant;
}

export type ConcernCategory = 'learning' | 'behaviour' | 'bullying' | 'send' | 'attendance' | 'staff_conduct' | 'communication' | 'other';
export type ConcernStatus = 'new' | 'open' | 'closed' | 'resolved';
export type ConcernReceivedVia = 'portal' | 'phone' | 'email' | 'in_person';
export type ConcernContactBy = 'email' | 'phone' | 'text' | 'meeting' | 'letter';
export type ConcernEntryKind = 'what_happened' | 'would_like' | 'contact' | 'note' | 'outcome' | 'not_yet' | 'escalated';
export type ConcernContactHow = 'phone' | 'email' | 'meeting' | 'in_person' | 'letter';

/**
 * A carer's concern about one of their children: new (waiting for the head or a senior leader),
 * open (an owner is dealing with it), closed (summary sent, waiting for the carer's answer) or
 * resolved (the carer said so). "Not yet" sends a closed concern back to open.
 */
export interface ConcernTable {
  id: string;
  school_id: string;
  pupil_id: string;
  /** The carer it is from (and the only one told about it). */
  carer_id: string;
  received_via: ConcernReceivedVia;
  contact_by: ConcernContactBy;
  /** The member of staff who logged it for the carer; null when the carer raised it on Gatepost. */
  logged_by: string | null;
  status: ConcernStatus;
  owner_id: string | null;
  category: ConcernCategory | null;
  raised_on: LocalDate;
  /** A date in school days from the school calendar. */
  due_on: LocalDate;
  triaged_by: string | null;
  triaged_at: Instant | null;
  closed_at: Instant | null;
  closed_by: string | null;
  /** When the carer answered "resolved? yes / not yet" (the last time). */
  answered_at: Instant | null;
  reopened_count: number;
  created_at: Instant;
  updated_at: Instant;
}

/** Everything typed in a concern, by anyone; any of it may be marked as a safeguarding concern. */
export interface ConcernEntryTable {
  id: string;
  school_id: string;
  concern_id: string;
  kind: ConcernEntryKind;
  body: string;
  contact_how: ConcernContactHow | null;
  safeguarding: Flag;
  written_by_kind: 'staff' | 'carer';
  staff_id: string | null;
  carer_id: string | null;
  created_at: Instant;
}

/** A formal complaint made from a concern, with its stage-1 dates in school days (features/concerns/complaint-timeline.ts). */
export interface ComplaintTable {
  id: string;
  school_id: string;
  /** The concern record holding the complainant's words; null for a complaint from the public form. */
  concern_id: string | null;
  /** The child it is about; null for a complaint from the public form (it may be about no child). */
  pupil_id: string | null;
  /** The complainant, when a carer; null when a member of the public (then public_complaint_id). */
  carer_id: string | null;
  /** A complaint from the public form taken on by the head (migration 0028): the complainant's name, email and words. */
  public_complaint_id: string | null;
  stage: 'stage_1' | 'stage_2';
  made_by_kind: 'carer' | 'staff';
  made_by_staff: string | null;
  received_on: LocalDate;
  counts_from: LocalDate;
  acknowledge_by: LocalDate;
  respond_by: LocalDate;
  last_incident_on: LocalDate;
  /** Raised more than three months after the last incident: for the head to decide. */
  late: Flag;
  early_years_outcome_by: LocalDate | null;
  created_at: Instant;
  updated_at: Instant;
  /** open → answered (stage 1 outcome sent) → panel (stage 2) → closed; or declined (late, not accepted). */
  status: Generated<ComplaintStatus>;
  /** matter: the usual case team; head: routed to the chair of governors; governor: to the clerk/chair (settings). */
  about: Generated<'matter' | 'head' | 'governor'>;
  /** Made directly (not escalated from a concern the carer raised first). */
  direct: Generated<Flag>;
  late_decision: 'accepted' | 'declined' | null;
  late_reason: string | null;
  officer_id: string | null;
  panel_requested_on: LocalDate | null;
  panel_by: LocalDate | null;
  panel_on: LocalDate | null;
  /** The investigating officer's report on the checklist (features/complaints/report.ts), JSON. */
  report_json: string | null;
  report_issued_at: Instant | null;
  outcome: ComplaintOutcome | null;
  closed_at: Instant | null;
}

export type ComplaintStatus = 'open' | 'declined' | 'answered' | 'panel' | 'closed';
export type ComplaintOutcome = 'upheld' | 'partly' | 'not_upheld';

/** A school's complaints procedure: stages, limits in school days, who may complain, routing. */
export interface ComplaintSettingsTable {
  school_id: string;
  school_type: 'maintained' | 'academy';
  stages_json: string;
  acknowledge_days: number;
  respond_days: number;
  panel_within_days: number;
  papers_before_days: number;
  decision_after_days: number;
  head_complaints_to: string | null;
  governor_complaints_to: string | null;
  clerk_id: string | null;
  updated_by: string;
  updated_at: Instant;
}

/** The people on a case: the investigating officer, panel members, and staff named in the complaint. */
export interface ComplaintPersonTable {
  id: string;
  school_id: string;
  complaint_id: string;
  staff_id: string;
  role: 'officer' | 'panel' | 'named';
  /** A panel member independent of the school's management (academies need one). */
  independent: Flag;
  created_by: string;
  created_at: Instant;
}

export type ComplaintEventKind =
  'refused' | 'appointed' | 'named' | 'slip' | 'late_accepted' | 'late_declined' | 'interview' | 'document' | 'stage_2' | 'report_issued' | 'letter_sent' | 'letter_printed' | 'interest' | 'taken_on';

/** The case's timeline: refusals with their reasons, interviews in writing, documents, slipped deadlines. */
export interface ComplaintEventTable {
  id: string;
  school_id: string;
  complaint_id: string;
  kind: ComplaintEventKind;
  body: string;
  staff_id: string | null;
  on_date: LocalDate | null;
  file_name: string | null;
  file_type: string | null;
  file_base64: string | null;
  created_by_kind: 'staff' | 'carer' | 'system';
  created_by: string | null;
  created_at: Instant;
}

/** The outcome letter of a stage: generated, edited, then sent through the outbox or printed. */
export interface ComplaintLetterTable {
  id: string;
  school_id: string;
  complaint_id: string;
  stage: 'stage_1' | 'stage_2';
  outcome: ComplaintOutcome;
  body: string;
  status: 'draft' | 'sent' | 'printed';
  updated_by: string;
  created_at: Instant;
  updated_at: Instant;
  sent_at: Instant | null;
}

/** The policies register: one school policy, its owner and review dates, and its text. */
export interface PolicyTable {
  id: string;
  school_id: string;
  title: string;
  /** The member of staff who reviews it (reminded on their home page). */
  owner_id: string;
  /** The law asks for a review every year (such reviews are listed first). */
  statutory_yearly: Flag;
  last_reviewed_on: LocalDate | null;
  next_review_on: LocalDate;
  /** The document's text; a line starting with "## " starts a section when consulted on. */
  body: string;
  /** The document as a file (0023): its name, type and bytes in base64, as complaint documents are stored. */
  document_name: string | null;
  document_type: string | null;
  document_base64: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export type ConsultationStatus = 'open' | 'closed' | 'adopted';

/** A policy put out for consultation to an audience (as messages choose one). */
export interface ConsultationTable {
  id: string;
  school_id: string;
  policy_id: string;
  title: string;
  /** features/messages Audience, as JSON. */
  audience_json: string;
  status: ConsultationStatus;
  closes_on: LocalDate;
  /** Comments in other languages get an English version, checked by a second person. */
  translate_comments: Flag;
  created_by: string;
  /** The "You said, we did" opening words, written when the revised policy is adopted. */
  summary: string | null;
  adopted_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

/** One section of the policy's text, commented on apart. */
export interface ConsultationSectionTable {
  id: string;
  school_id: string;
  consultation_id: string;
  position: number;
  heading: string;
  body: string;
}

/** A carer the consultation reached, with their own link (a secret token). */
export interface ConsultationInviteeTable {
  id: string;
  school_id: string;
  consultation_id: string;
  carer_id: string;
  token: string;
  language: string;
  created_at: Instant;
}

/** The school's grouping of comments, and its answer. */
export interface ConsultationThemeTable {
  id: string;
  school_id: string;
  consultation_id: string;
  title: string;
  answer: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** A comment on one section, by a carer or a member of staff (exactly one of the two). */
export interface ConsultationCommentTable {
  id: string;
  school_id: string;
  consultation_id: string;
  section_id: string;
  carer_id: string | null;
  staff_id: string | null;
  /** As written, in `language`. */
  body: string;
  language: string;
  /** The English version (machine or a person), for comments not in English. */
  english: string | null;
  english_by: string | null;
  /** A second person who checked the English version. */
  english_checked_by: string | null;
  theme_id: string | null;
  created_at: Instant;
  /** The carer changed it (0023); the audit log keeps what it said before. */
  edited_at: Instant | null;
  /** The carer withdrew it before the consultation closed: gone from staff views and counts. */
  withdrawn_at: Instant | null;
}

export type AgreementMeasure = 'agenda_ahead' | 'praise_families' | 'concerns_replied' | 'actions_done';

/** A version of the home-school agreement: a draft until published; a published one is never changed. */
export interface AgreementVersionTable {
  id: string;
  school_id: string;
  version: number;
  status: 'draft' | 'published';
  title: string;
  /** What the school asks of carers, one item a line. */
  carers_text: string;
  /** What the school asks of pupils, one item a line. */
  pupils_text: string;
  /** Whether publishing it asks everyone to sign again (the school says the change matters). */
  asks_resigning: Flag;
  change_note: string | null;
  published_at: Instant | null;
  published_by: string | null;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
}

/** One of the school's promises in a version, with the evidence measure shown beside it (or none). */
export interface AgreementPromiseTable {
  id: string;
  school_id: string;
  version_id: string;
  position: number;
  text: string;
  measure: AgreementMeasure | null;
}

export interface AgreementTranslationTable {
  id: string;
  school_id: string;
  version_id: string;
  language: string;
  subject: string;
  body: string;
  source: 'person' | 'machine';
  status: 'requested' | 'written' | 'checked';
  written_by: string | null;
  checked_by: string | null;
  updated_at: Instant;
}

/** A signature, attached for good to the version signed. */
export interface AgreementSignatureTable {
  id: string;
  school_id: string;
  version_id: string;
  pupil_id: string;
  signer: 'carer' | 'pupil';
  carer_id: string | null;
  how: 'portal' | 'paper' | 'in_class';
  /** The member of staff who recorded a paper or in-class signature. */
  recorded_by: string | null;
  /** The language the agreement was shown in. */
  language: string;
  signed_on: LocalDate;
  created_at: Instant;
}

/** The governors' yearly review of the agreement. */
export interface AgreementReviewTable {
  id: string;
  school_id: string;
  version_id: string | null;
  reviewed_on: LocalDate;
  reviewers: string;
  minutes: string;
  changes: string;
  recorded_by: string;
  created_at: Instant;
}

/** A pupil's one-page profile (pen portrait): the version now in force and when it is next reviewed. */
export interface ProfileTable {
  id: string;
  school_id: string;
  pupil_id: string;
  /** The current version's number (profile_versions). */
  version: number;
  review_due_on: LocalDate | null;
  review_kind: 'termly' | 'transition' | null;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
}

/** One accepted version of a profile: never changed. The *_staff notes never reach carers. */
export interface ProfileVersionTable {
  id: string;
  school_id: string;
  profile_id: string;
  version: number;
  admire: string;
  important: string;
  support: string;
  pupil_voice: string;
  admire_staff: string;
  important_staff: string;
  support_staff: string;
  /** The proposal it came from (none for the first version). */
  proposal_id: string | null;
  accepted_by: string;
  created_at: Instant;
}

/** A change someone proposed (a member of staff, or a carer with a link): null sections are left as they are. */
export interface ProfileProposalTable {
  id: string;
  school_id: string;
  profile_id: string;
  base_version: number;
  by_kind: 'staff' | 'carer';
  staff_id: string | null;
  carer_id: string | null;
  admire: string | null;
  important: string | null;
  support: string | null;
  pupil_voice: string | null;
  admire_staff: string | null;
  important_staff: string | null;
  support_staff: string | null;
  /** A carer's own words, in their language. */
  words: string | null;
  words_language: string | null;
  note: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  decided_by: string | null;
  decided_at: Instant | null;
  decision_note: string | null;
  created_at: Instant;
}

/** A carer's own words in their language, for versions version_from up to (not including) version_to, with the English translation (write → check). */
export interface ProfileWordsTable {
  id: string;
  school_id: string;
  profile_id: string;
  carer_id: string;
  language: string;
  words: string;
  version_from: number;
  version_to: number | null;
  translation: string;
  translation_source: 'person' | 'machine';
  translation_status: 'requested' | 'written' | 'checked';
  written_by: string | null;
  checked_by: string | null;
  updated_at: Instant;
  created_at: Instant;
}

export interface ProfileReviewTable {
  id: string;
  school_id: string;
  profile_id: string;
  /** The version reviewed: "what changed since the last review" starts here. */
  version: number;
  reviewed_on: LocalDate;
  reviewed_by: string;
  next_due_on: LocalDate;
  next_kind: 'termly' | 'transition';
  note: string | null;
  created_at: Instant;
}

/** A carer's consent to share the profile outside the school: who gave it, when, and with whom. */
export interface ProfileConsentTable {
  id: string;
  school_id: string;
  profile_id: string;
  carer_id: string;
  given_on: LocalDate;
  shared_with: string;
  purpose: string;
  recorded_by: string;
  created_at: Instant;
}

export type SurveyAudienceKind = 'carers' | 'staff';
export type SurveyStatus = 'draft' | 'open' | 'closed';
export type QuestionKind = 'agree' | 'single' | 'multiple' | 'yes_no' | 'short_text' | 'long_text';
export type AnsweredVia = 'online' | 'paper' | 'phone';

/** A survey of carers or staff (features/surveys). */
export interface SurveyTable {
  id: string;
  school_id: string;
  title: string;
  intro: string;
  audience_kind: SurveyAudienceKind;
  /** Carers: a messages Audience; staff: { roles: StaffRole[] }. Validated with Zod. */
  audience_json: string;
  /** Chosen at creation, locked at the first response. */
  anonymous: Flag;
  status: SurveyStatus;
  /** The survey this one follows up (before → after). */
  baseline_id: string | null;
  opened_at: Instant | null;
  closed_at: Instant | null;
  /** The day of the first response: anonymity is locked from then on. */
  first_response_on: LocalDate | null;
  reminders_sent: number;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface SurveyQuestionTable {
  id: string;
  school_id: string;
  survey_id: string;
  position: number;
  section: string;
  kind: QuestionKind;
  text: string;
  /** Choices of a single or multiple choice question, as a JSON array of strings. */
  options_json: string;
  required: Flag;
  /** The template question it was copied from ("partnership.staff_policies"): the same statement in two surveys. */
  template_question: string | null;
  created_at: Instant;
}

export interface SurveyQuestionTranslationTable {
  id: string;
  school_id: string;
  survey_id: string;
  question_id: string;
  language: string;
  text: string;
  options_json: string;
  source: 'person' | 'machine';
  status: 'requested' | 'written' | 'checked';
  written_by: string | null;
  checked_by: string | null;
  updated_at: Instant;
}

/** Who was asked, and whether they answered: never what they answered. */
export interface SurveyInvitationTable {
  id: string;
  school_id: string;
  survey_id: string;
  carer_id: string | null;
  staff_id: string | null;
  token: string;
  pupil_ids: string;
  language: string;
  channels: string;
  invited_at: Instant;
  answered_on: LocalDate | null;
  answered_via: AnsweredVia | null;
  reminded: number;
}

/** What was answered. invitation_id is null in an anonymous survey. */
export interface SurveyResponseTable {
  id: string;
  school_id: string;
  survey_id: string;
  invitation_id: string | null;
  via: AnsweredVia;
  submitted_on: LocalDate;
}

export interface SurveyAnswerTable {
  id: string;
  school_id: string;
  survey_id: string;
  response_id: string;
  question_id: string;
  value: string;
}

/** Something a carer did that the school judged unreasonable: when, what, and who wrote it down (features/conduct). */
export interface ConductIncidentTable {
  id: string;
  school_id: string;
  carer_id: string;
  happened_on: LocalDate;
  what: string;
  recorded_by: string;
  created_at: Instant;
}

export type ConductArrangementKind = 'single_contact' | 'premises_ban';

/**
 * What the head decided about a carer's behaviour: a single point of contact (contact_staff_id; the
 * carer's messages and meeting requests go to that person) or a ban from the premises (with the letter
 * sent). Reviewed by review_on; ended, never deleted. One of each kind in force per carer.
 */
export interface ConductArrangementTable {
  id: string;
  school_id: string;
  carer_id: string;
  kind: ConductArrangementKind;
  contact_staff_id: string | null;
  reason: string;
  starts_on: LocalDate;
  review_on: LocalDate;
  letter_subject: string | null;
  letter_text: string | null;
  letter_sent_by: 'email' | 'paper' | null;
  set_by: string;
  reviewed_at: Instant | null;
  reviewed_by: string | null;
  ended_at: Instant | null;
  ended_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** A complaint closed as serial or vexatious: the stated reason and the DfE route given to the complainant. */
export interface ComplaintClosureTable {
  id: string;
  school_id: string;
  complaint_id: string;
  /** The complainant, when a carer; null for a complaint from the public form (migration 0031). */
  carer_id: string | null;
  grounds: 'serial' | 'vexatious';
  reason: string;
  dfe_route: string;
  review_on: LocalDate;
  letter_sent_by: 'email' | 'paper';
  decided_by: string;
  decided_on: LocalDate;
  reviewed_at: Instant | null;
  reviewed_by: string | null;
  created_at: Instant;
}

export type EventKind = 'open_evening' | 'coffee_morning' | 'workshop' | 'concert' | 'trip' | 'pta_meeting';

/** An event for families (features/events): audience as a message's, one or more sessions. */
export interface EventTable {
  id: string;
  school_id: string;
  kind: EventKind;
  title: string;
  description: string;
  place: string;
  /** The audience (features/messages Audience) as JSON, validated on the way out. */
  audience_json: string;
  status: 'draft' | 'published' | 'cancelled';
  created_by: string;
  created_at: Instant;
  published_at: Instant | null;
  reminded_at: Instant | null;
}

export interface EventSessionTable {
  id: string;
  school_id: string;
  event_id: string;
  starts_at: Instant;
  ends_at: Instant;
}

/** A carer an event was sent to, with the children in its audience they may hear about. */
export interface EventInviteeTable {
  id: string;
  school_id: string;
  event_id: string;
  carer_id: string;
  pupil_ids_json: string;
  created_at: Instant;
}

/** One answer per carer per event: yes (a session, how many coming) or no. */
export interface EventRsvpTable {
  id: string;
  school_id: string;
  event_id: string;
  carer_id: string;
  answer: 'yes' | 'no';
  session_id: string | null;
  attending: number;
  updated_at: Instant;
}

/** The register on the day: who came to a session (a tick taken off stays as attended = 0). */
export interface EventAttendanceTable {
  id: string;
  school_id: string;
  event_id: string;
  session_id: string;
  carer_id: string;
  attended: Flag;
  marked_by: string;
  marked_at: Instant;
}

export type OpportunityKind = 'reading_partner' | 'trip_helper' | 'pta' | 'governor' | 'translating' | 'other';
export type VolunteerStatus = 'offered' | 'approved' | 'declined' | 'withdrawn';

export interface VolunteerOpportunityTable {
  id: string;
  school_id: string;
  kind: OpportunityKind;
  title: string;
  description: string;
  needs_dbs: Flag;
  status: 'open' | 'closed';
  created_by: string;
  created_at: Instant;
}

/** A carer's offer to volunteer, the checks the office recorded and the approval with its review date. */
export interface VolunteerTable {
  id: string;
  school_id: string;
  opportunity_id: string;
  carer_id: string;
  status: VolunteerStatus;
  offer_note: string | null;
  supervised: Flag | null;
  dbs_certificate: string | null;
  dbs_checked_on: LocalDate | null;
  barred_list_checked: Flag;
  risk_assessment: string | null;
  risk_assessed_on: LocalDate | null;
  approved_on: LocalDate | null;
  approved_by: string | null;
  review_on: LocalDate | null;
  created_at: Instant;
  updated_at: Instant;
}

/** A language an approved translating volunteer translates into (migration 0051). */
export interface VolunteerLanguageTable {
  id: string;
  school_id: string;
  volunteer_id: string;
  language: string;
}

export type TranslationRequestStatus = 'asked' | 'written' | 'declined' | 'cancelled';

/** A message's translation into one language, asked of one translating volunteer (migration 0051). */
export interface TranslationRequestTable {
  id: string;
  school_id: string;
  message_id: string;
  language: string;
  volunteer_id: string;
  carer_id: string;
  status: TranslationRequestStatus;
  asked_by: string;
  asked_at: Instant;
  answered_at: Instant | null;
}

/** A complaint made on the public form by someone not signed in (a maintained school hears anyone): the head triages it. */
export interface PublicComplaintTable {
  id: string;
  school_id: string;
  name: string;
  email: string;
  phone: string | null;
  /** How they are connected with the school, in their words ("a neighbour", "a former parent"). */
  connection: string;
  about: string;
  would_like: string;
  received_on: LocalDate;
  acknowledge_by: LocalDate;
  respond_by: LocalDate;
  status: 'new' | 'accepted' | 'declined';
  /** The date of the last incident, as the form asks (migration 0031); null for complaints made before it asked. */
  last_incident_on: LocalDate | null;
  /** About the head: triaged and led by whoever the settings name (the chair of governors), not the head. */
  about_head: Generated<Flag>;
  /** The complainant's words are marked as safeguarding (platform/safeguarding): only the DSL and deputies read them. */
  safeguarding: Generated<Flag>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

/** A family's key worker (features/community): the member of staff their messages and meeting requests go to first. One in force per carer; ended, never deleted. */
export interface KeyWorkerTable {
  id: string;
  school_id: string;
  carer_id: string;
  staff_id: string;
  reason: string;
  set_by: string;
  ended_at: Instant | null;
  ended_by: string | null;
  created_at: Instant;
}

/** A family opting in to the buddy scheme: as a newcomer wanting a buddy, or as a family offering to be one. */
export interface BuddyOptInTable {
  id: string;
  school_id: string;
  carer_id: string;
  wants: 'newcomer' | 'buddy';
  opted_in_at: Instant;
  withdrawn_at: Instant | null;
}

/** A buddy match the family liaison officer recorded: each family's consent, the check-in four weeks on, and a lead's withdrawal. */
export interface BuddyMatchTable {
  id: string;
  school_id: string;
  newcomer_id: string;
  buddy_id: string;
  newcomer_consent_at: Instant | null;
  buddy_consent_at: Instant | null;
  declined_at: Instant | null;
  recorded_by: string;
  recorded_on: LocalDate;
  check_in_on: LocalDate;
  checked_in_at: Instant | null;
  checked_in_by: string | null;
  check_in_note: string | null;
  /** A lead withdrew the match (declined_at says when): who, and why in their words. */
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
  /** The family (carer) who stopped sharing its details with the other (declined_at says when). */
  ended_by_carer: string | null;
  created_at: Instant;
}

export type SupportKind = 'group' | 'service' | 'language_class';

/** An entry in the school's local support directory. `languages` and `tags` are comma-separated. */
export interface SupportEntryTable {
  id: string;
  school_id: string;
  name: string;
  kind: SupportKind;
  description: string;
  opening_times: string;
  languages: string;
  contact: string;
  tags: string;
  archived_at: Instant | null;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface VolunteerAssignmentTable {
  id: string;
  school_id: string;
  volunteer_id: string;
  event_id: string | null;
  activity: string;
  on_date: LocalDate;
  assigned_by: string;
  created_at: Instant;
}

/** The panel papers of a stage-2 complaint: sent through the outbox to the panel and the complainant, or printed. */
export interface ComplaintPapersTable {
  id: string;
  school_id: string;
  complaint_id: string;
  how: 'email' | 'printed';
  sent_on: LocalDate;
  panel_on: LocalDate;
  /** Who they went to, in words ("Dr Shah, Mrs Khan, Mr Lee; Marta Nowak"). */
  recipients: string;
  note: string | null;
  sent_by: string;
  created_at: Instant;
}

export type WelcomeStep = 'induction_visit' | 'forms_done' | 'met_teacher' | 'buddy_offered';

/** One step of a new family's welcome checklist: when, and who helped. */
export interface WelcomeStepTable {
  id: string;
  school_id: string;
  carer_id: string;
  step: WelcomeStep;
  done_on: LocalDate;
  helped_by: string | null;
  note: string | null;
  recorded_by: string;
  created_at: Instant;
}

export interface Database {
  schools: SchoolTable;
  school_terms: SchoolTermTable;
  school_closures: SchoolClosureTable;
  staff: StaffTable;
  staff_roles: StaffRoleTable;
  classes: ClassTable;
  class_teachers: ClassTeacherTable;
  pupils: PupilTable;
  carers: CarerTable;
  carer_pupils: CarerPupilTable;
  restrictions: RestrictionTable;
  sessions: SessionTable;
  sign_in_tokens: SignInTokenTable;
  sign_in_counters: SignInCounterTable;
  audit_log: AuditLogTable;
  import_batches: ImportBatchTable;
  outbox: OutboxTable;
  messages: MessageTable;
  message_translations: MessageTranslationTable;
  message_recipients: MessageRecipientTable;
  carer_groups: CarerGroupTable;
  carer_group_members: CarerGroupMemberTable;
  contact_log: ContactLogTable;
  dsl_reports: DslReportTable;
  access_requests: AccessRequestTable;
  glossary: GlossaryTable;
  evenings: EveningTable;
  evening_sessions: EveningSessionTable;
  evening_classes: EveningClassTable;
  evening_teachers: EveningTeacherTable;
  evening_slots: EveningSlotTable;
  evening_bookings: EveningBookingTable;
  evening_attendees: EveningAttendeeTable;
  evening_waiting: EveningWaitingTable;
  evening_needs: EveningNeedsTable;
  meetings: MeetingTable;
  meeting_staff: MeetingStaffTable;
  meeting_carers: MeetingCarerTable;
  meeting_offers: MeetingOfferTable;
  meeting_agenda_items: MeetingAgendaItemTable;
  meeting_safety_plans: MeetingSafetyPlanTable;
  meeting_notes: MeetingNoteTable;
  meeting_actions: MeetingActionTable;
  staff_alerts: StaffAlertTable;
  school_texts: SchoolTextTable;
  language_checks: LanguageCheckTable;
  concerns: ConcernTable;
  concern_entries: ConcernEntryTable;
  complaints: ComplaintTable;
  complaint_settings: ComplaintSettingsTable;
  complaint_people: ComplaintPersonTable;
  complaint_events: ComplaintEventTable;
  complaint_letters: ComplaintLetterTable;
  conduct_incidents: ConductIncidentTable;
  conduct_arrangements: ConductArrangementTable;
  complaint_closures: ComplaintClosureTable;
  public_complaints: PublicComplaintTable;
  complaint_papers: ComplaintPapersTable;
  surveys: SurveyTable;
  survey_questions: SurveyQuestionTable;
  survey_question_translations: SurveyQuestionTranslationTable;
  survey_invitations: SurveyInvitationTable;
  survey_responses: SurveyResponseTable;
  survey_answers: SurveyAnswerTable;
  agreement_versions: AgreementVersionTable;
  agreement_promises: AgreementPromiseTable;
  agreement_translations: AgreementTranslationTable;
  agreement_signatures: AgreementSignatureTable;
  agreement_reviews: AgreementReviewTable;
  policies: PolicyTable;
  consultations: ConsultationTable;
  consultation_sections: ConsultationSectionTable;
  consultation_invitees: ConsultationInviteeTable;
  consultation_themes: ConsultationThemeTable;
  consultation_comments: ConsultationCommentTable;
  events: EventTable;
  event_sessions: EventSessionTable;
  event_invitees: EventInviteeTable;
  event_rsvps: EventRsvpTable;
  event_attendance: EventAttendanceTable;
  volunteer_opportunities: VolunteerOpportunityTable;
  volunteers: VolunteerTable;
  volunteer_assignments: VolunteerAssignmentTable;
  volunteer_languages: VolunteerLanguageTable;
  translation_requests: TranslationRequestTable;
  profiles: ProfileTable;
  profile_versions: ProfileVersionTable;
  profile_proposals: ProfileProposalTable;
  profile_words: ProfileWordsTable;
  profile_reviews: ProfileReviewTable;
  profile_consents: ProfileConsentTable;
  key_workers: KeyWorkerTable;
  buddy_opt_ins: BuddyOptInTable;
  buddy_matches: BuddyMatchTable;
  support_entries: SupportEntryTable;
  welcome_steps: WelcomeStepTable;
  attendance_imports: AttendanceImportTable;
  attendance_figures: AttendanceFigureTable;
}
