// The people feature's public face: what other features may use.
export { childrenOfCarer, classesOfSchool, classesTaughtBy, contactDetailsOf, getCarer, listCarers, listPupils, staffButGovernors } from './queries.ts';
export { COMMON_LANGUAGES, RELATIONSHIP_LABELS, YEAR_GROUP_LABELS, YEAR_GROUPS, yearOrder } from './validation.ts';
export { pupilMember, PUPIL_GROUP_LABELS, shareByGroup, type ChildFacts, type GroupMember, type GroupShare } from './groups.ts';
export { peopleRoutes, type CarerPageSections } from './routes.ts';
// Reading a records-system CSV export (bytes → text → rows with line numbers), for other imports (attendance).
export { decodeUpload, readCsv, MAX_FILE_BYTES, TOO_LARGE } from './import/csv.ts';
export { normaliseHeader } from './import/columns.ts';
export { normaliseUpn, UPN_PATTERN } from './import/pupil-rows.ts';
export { clip } from './import/fields.ts';
