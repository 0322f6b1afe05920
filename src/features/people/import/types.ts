import type { CarerTable, Flag, Relationship, SendStatus, YearGroup } from '../../../db/schema.ts';

/** The two files a records system exports for us. */
export type ImportKind = 'pupils' | 'contacts';
export const IMPORT_KINDS: readonly ImportKind[] = ['pupils', 'contacts'];

/** One data row of a CSV file: the line it starts on (1 = the header) and its cells. */
export type CsvRow = { line: number; cells: string[] };
export type CsvTable = { header: string[]; rows: CsvRow[] };

/** A problem with the whole file: nothing in it is imported. */
export type FileProblem = { ok: false; message: string };

/** A problem with one field of one row; `field` is the column name as the file spells it. */
export type Problem = { field: string; message: string };
/** A row that will not be imported: its line, who it is about (as the file says), every problem, and its UPN when it has one. */
export type Reject = { line: number; who: string; key?: string; problems: Problem[] };

/** One field that will change on an existing record, shown as before → after. */
export type FieldChange = { field: string; before: string; after: string };

/** What a pupils row says. Optional fields are undefined when the file does not state them. */
export type PupilInput = {
  line: number;
  upn: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  year_group: YearGroup;
  preferred_name?: string | null;
  class_name?: string | null;
  send_status?: SendStatus;
  eal?: Flag;
  home_language?: string | null;
};

/** The carer fields a contacts row can set: the same columns as the carers table. */
export type CarerValues = Pick<
  CarerTable,
  'title' | 'given_name' | 'family_name' | 'email' | 'mobile' | 'address_line1' | 'address_line2' | 'town' | 'postcode' | 'preferred_language' | 'interpreter_needed'
>;

export type LinkValues = {
  relationship: Relationship;
  parental_responsibility: Flag;
  lives_with_pupil: Flag;
  contact_priority: number;
  may_receive_information: Flag;
  wants_copies: Flag;
};

/** A restriction column a contacts row fills in: the column as the file spells it, and its words when more than a plain yes. */
export type RestrictionSaid = { column: string; says: string | null };

/** What a contacts row says. Optional fields are undefined when the file does not state them. */
export type ContactInput = {
  line: number;
  pupil_upn: string;
  carer: Pick<CarerValues, 'given_name' | 'family_name'> & Partial<Omit<CarerValues, 'given_name' | 'family_name'>>;
  link: Pick<LinkValues, 'relationship'> & Partial<Omit<LinkValues, 'relationship'>>;
  /** Court order, no contact, parental responsibility restricted: empty when the row states none. */
  restrictions: RestrictionSaid[];
};

export type RowResult<T> = { ok: true; value: T } | { ok: false; reject: Reject };
