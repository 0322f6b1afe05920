/**
 * The table types: one source of truth for both databases.
 * Conventions (see docs/architecture.md):
 * - ids are random text made in the app (UUIDv7);
 * - instants are ISO-8601 UTC text ('2026-11-23T16:20:00.000Z'), school-local dates are 'YYYY-MM-DD';
 * - yes/no columns are integers 0/1 on both databases (Flag);
 * - every school-owned row carries school_id.
 */
export type Flag = 0 | 1;
export type Instant = string;
export type LocalDate = string;

export type StaffRole =
  | 'head'
  | 'senior_leader'
  | 'teacher'
  | 'office'
  | 'dsl'
  | 'deputy_dsl'
  | 'senco'
  | 'family_liaison'
  | 'governor';

export type YearGroup = 'N' | 'R' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12' | '13';
export type SendStatus = 'none' | 'sen_support' | 'ehcp';
export type Relationship =
  | 'mother'
  | 'father'
  | 'step_parent'
  | 'foster_carer'
  | 'grandparent'
  | 'other_relative'
  | 'family_friend'
  | 'social_worker'
  | 'other';

export interface SchoolTable {
  id: string;
  name: string;
  urn: string;
  phase: 'nursery' | 'primary' | 'secondary' | 'all_through' | 'special';
  time_zone: string;
  colour: string;
  teachers_see_all_pupils: Flag;
  created_at: Instant;
}

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

export interface RateLimitHitTable {
  id: string;
  bucket: string;
  key: string;
  at: Instant;
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
  kind: 'phone' | 'gate' | 'meeting' | 'home_visit' | 'other';
  note: string;
  at: Instant;
}

export interface GlossaryTable {
  id: string;
  school_id: string;
  term: string;
  plain: string;
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
  rate_limit_hits: RateLimitHitTable;
  audit_log: AuditLogTable;
  import_batches: ImportBatchTable;
  outbox: OutboxTable;
  messages: MessageTable;
  message_translations: MessageTranslationTable;
  message_recipients: MessageRecipientTable;
  carer_groups: CarerGroupTable;
  carer_group_members: CarerGroupMemberTable;
  contact_log: ContactLogTable;
  glossary: GlossaryTable;
}
