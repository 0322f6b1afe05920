import type { FeatureRows } from './types.ts';
import { eveningRows } from './evening-rows.ts';
import { eveningBookingRows } from './evening-booking-rows.ts';
import { meetingRows } from './meeting-rows.ts';
import { meetingRecordRows } from './meeting-record-rows.ts';
import { recordsRows } from './records-rows.ts';
import { concernRows } from './concern-rows.ts';
import { consultationRows } from './consultation-rows.ts';
import { agreementRows } from './agreement-rows.ts';
import { surveyRows } from './survey-rows.ts';
import { conductRows } from './conduct-rows.ts';
import { complaintRows } from './complaint-rows.ts';
import { eventRows } from './event-rows.ts';
import { volunteeringRows } from './volunteering-rows.ts';
import { profileRows } from './profile-rows.ts';
import { communityRows } from './community-rows.ts';
import { contactRows } from './contact-rows.ts';
import { termDateRows } from './term-date-rows.ts';
import { safeguardingRows } from './safeguarding-rows.ts';
import { volunteerTranslationRows } from './volunteer-translation-rows.ts';
import { subjectAccessRows } from './subject-access-rows.ts';
import { attendanceRows } from './attendance-rows.ts';
import { retentionRows } from './retention-rows.ts';

/** Features with many routes keep their access-matrix rows in test/access/*-rows.ts: each is listed here once. */
export const FEATURES: FeatureRows[] = [
  eveningRows,
  eveningBookingRows,
  meetingRows,
  meetingRecordRows,
  recordsRows,
  concernRows,
  consultationRows,
  agreementRows,
  surveyRows,
  conductRows,
  complaintRows,
  eventRows,
  volunteeringRows,
  profileRows,
  communityRows,
  contactRows,
  termDateRows,
  safeguardingRows,
  volunteerTranslationRows,
  subjectAccessRows,
  attendanceRows,
  retentionRows,
];
