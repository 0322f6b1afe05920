import type { Instant, MeetingMode } from '../../db/schema.ts';
import { english, type Text } from '../../platform/i18n/catalog.ts';
import { bilingualEmail, type Email } from '../../platform/i18n/email.ts';
import { instantIn } from '../../platform/i18n/dates.ts';
import { timeOf } from './booking.ts';
import { absoluteLink } from '../../platform/web/links.ts';
import { needsForCarer, type Needs } from './needs.ts';

/**
 * Emails about parents' evening appointments: what, when (school time) and where (the room, the
 * video link, or "the teacher will ring you"). Nothing sensitive: times, names and places only.
 * Each is written in the carer's language with the English beneath (`mail`); English alone by default.
 */
export type AppointmentLine = { pupilName: string; teacherName: string; starts: Instant; ends: Instant; mode: MeetingMode; room: string | null; videoLink: string | null };

/** The carer's words for an email and the school's English to put beneath them. */
export type MailText = { own: Text; english: Text };
const ENGLISH_ONLY: MailText = { own: english, english };

/** Where, in words: "in Room 3", "by video call: https://…", "by phone: Mr Okafor will ring you". */
export function whereWords(a: Pick<AppointmentLine, 'mode' | 'room' | 'videoLink' | 'teacherName'>, t: Text = english): string {
  if (a.mode === 'video') return a.videoLink ? t('evenings.where.video', { link: a.videoLink }) : t('evenings.where.videoNoLink');
  if (a.mode === 'phone') return t('evenings.where.phone', { teacher: a.teacherName });
  return a.room ? t('evenings.where.room', { room: a.room }) : t('evenings.where.school');
}

/** "26 November 2026 at 4:00pm to 4:10pm: Jakub with Mr Okafor, in person, in Room 3" */
export function appointmentWords(a: AppointmentLine, timeZone: string, t: Text = english): string {
  return t('evenings.email.line', {
    starts: instantIn(t.code, a.starts, timeZone),
    ends: timeOf(a.ends, timeZone, t),
    pupil: a.pupilName,
    teacher: a.teacherName,
    where: whereWords(a, t),
  });
}

type Common = { carerName: string; eveningName: string; eveningId: string; timeZone: string; baseUrl: string; mail?: MailText };

function inBoth(mail: MailText | undefined, build: (t: Text) => Email): Email {
  const m = mail ?? ENGLISH_ONLY;
  return bilingualEmail(m.own, build, m.english);
}

/** `needs`: what they asked for at the evening ("Help at your appointments"), said back to them when they asked for something. */
export function bookedEmail(o: Common & { appointments: AppointmentLine[]; bookedBy: string | null; needs?: Needs | null }): Email {
  const count = o.appointments.length;
  return inBoth(o.mail, (t) => {
    const lines = o.appointments.map((a) => `- ${appointmentWords(a, o.timeZone, t)}`).join('\n');
    const by = o.bookedBy ? `${t('evenings.email.booked.by', { by: o.bookedBy, count })}\n\n` : '';
    const asked = needsForCarer(o.needs, t);
    return {
      subject: t('evenings.email.booked.subject', { evening: o.eveningName, count }),
      text:
        `${t('evenings.email.dear', { name: o.carerName })}\n\n${by}${t('evenings.email.booked.intro', { evening: o.eveningName, count })}\n\n${lines}\n\n` +
        `${asked.length ? `${asked.join('\n')}\n\n` : ''}` +
        `${t('evenings.email.booked.change', { link: absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`) })}\n` +
        `${t('evenings.email.booked.calendar', { link: absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}/calendar.ics`) })}\n`,
    };
  });
}

export function cancelledEmail(o: Common & { appointment: AppointmentLine; reason: string }): Email {
  return inBoth(o.mail, (t) => ({
    subject: t('evenings.email.cancelled.subject', { evening: o.eveningName, teacher: o.appointment.teacherName }),
    text:
      `${t('evenings.email.dear', { name: o.carerName })}\n\n${t('evenings.email.cancelled.intro', { evening: o.eveningName })}\n\n- ${appointmentWords(o.appointment, o.timeZone, t)}\n\n` +
      `${t('evenings.email.cancelled.reason', { reason: o.reason })}\n\n${t('evenings.email.cancelled.again', { link: absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`) })}\n`,
  }));
}

export function timeFreeEmail(o: Common & { teacherName: string; pupilName: string }): Email {
  return inBoth(o.mail, (t) => ({
    subject: t('evenings.email.free.subject', { evening: o.eveningName, teacher: o.teacherName }),
    text:
      `${t('evenings.email.dear', { name: o.carerName })}\n\n${t('evenings.email.free.intro', { teacher: o.teacherName, pupil: o.pupilName })}\n\n` +
      `${t('evenings.email.free.book', { link: absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`) })}\n`,
  }));
}

/** A new time for an appointment: to the carer who changed it (or had the office change it: `byStaff`), and to another carer coming to it (`byOther`). */
export function changedEmail(o: Common & { appointment: AppointmentLine; was: Instant; byOther: boolean; byStaff?: string | null }): Email {
  return inBoth(o.mail, (t) => ({
    subject: t('evenings.email.changed.subject', { evening: o.eveningName, teacher: o.appointment.teacherName }),
    text:
      `${t('evenings.email.dear', { name: o.carerName })}\n\n` +
      `${o.byOther ? `${t('evenings.email.changed.byOther')}\n\n` : ''}` +
      `${o.byStaff ? `${t('evenings.email.changed.byStaff', { by: o.byStaff })}\n\n` : ''}` +
      `${t('evenings.email.changed.intro', { evening: o.eveningName })}\n\n- ${appointmentWords(o.appointment, o.timeZone, t)}\n\n` +
      `${t('evenings.email.changed.was', { time: timeOf(o.was, o.timeZone, t) })}\n\n` +
      `${t('evenings.email.booked.change', { link: absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`) })}\n` +
      `${t('evenings.email.booked.calendar', { link: absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}/calendar.ics`) })}\n`,
  }));
}
