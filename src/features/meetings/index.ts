// The meetings feature's public face: what other features may use.
export { followUpsOf, overdueInSchool, schoolCalendar } from './follow-ups-queries.ts';
export { daysOverdue } from './follow-ups.ts';
export { familyFollowUpsOf, type FamilyFollowUp } from './family-follow-ups.ts';
export { carerActionsOf, type CarerAction } from './carer-actions-queries.ts';
export { bookingRecordMoved } from './record-booking.ts';
export { agendaQuestionForStaff, familyProgressForStaff, safetyPlanNotesForStaff } from './words-for-dsl.ts';
export { askedForWords } from './carer-words.ts';
export { MEETING_STAFF_ROLES } from './meetings-queries.ts';
export { arrangedFor, meetingsAbout, MEETING_PURPOSES } from './meetings-about.ts';
