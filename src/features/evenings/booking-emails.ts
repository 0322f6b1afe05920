import type { Instant, MeetingMode } from '../../db/schema.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import { timeOf } from './booking.ts';
import { absoluteLink } from '../../platform/web/links.ts';

/**
 * Emails about parents' evening appointments: what, when (school time) and where (the room, the
 * video link, or "the teacher will ring you"). Nothing sensitive: times, names and places only.
 */
export type AppointmentLine = { pupilName: string; teacherName: string; starts: Instant; ends: Instant; mode: MeetingMode; room: string | null; videoLink: string | null };

/** Where, in words: "in Room 3", "by video call: https://…", "by phone: Mr Okafor will ring you". */
export function whereWords(a: Pick<AppointmentLine, 'mode' | 'room' | 'videoLink' | 'teacherName'>): string {
  if (a.mode === 'video') return a.videoLink ? `by video call: ${a.videoLink}` : 'by video call (the school will send the link)';
  if (a.mode === 'phone') return `by phone: ${a.teacherName} will ring you`;
  return a.room ? `in person, in ${a.room}` : 'in person, at school';
}

/** "26 November 2026 at 4:00pm to 4:10pm: Jakub with Mr Okafor, in person, in Room 3" */
export function appointmentWords(a: AppointmentLine, timeZone: string): string {
  return `${formatInstant(a.starts, timeZone)} to ${timeOf(a.ends, timeZone)}: ${a.pupilName} with ${a.teacherName}, ${whereWords(a)}`;
}

type Common = { carerName: string; eveningName: string; eveningId: string; timeZone: string; baseUrl: string };

export function bookedEmail(o: Common & { appointments: AppointmentLine[]; bookedBy: string | null }): { subject: string; text: string } {
  const lines = o.appointments.map((a) => `- ${appointmentWords(a, o.timeZone)}`).join('\n');
  const by = o.bookedBy ? `${o.bookedBy} booked ${o.appointments.length === 1 ? 'this appointment' : 'these appointments'} for you.\n\n` : '';
  return {
    subject: `${o.eveningName}: ${o.appointments.length === 1 ? 'your appointment is booked' : 'your appointments are booked'}`,
    text:
      `Dear ${o.carerName},\n\n${by}Your ${o.appointments.length === 1 ? 'appointment' : 'appointments'} at ${o.eveningName} (times are UK time):\n\n${lines}\n\n` +
      `To see, change or cancel: ${absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`)}\n` +
      `To add them to your calendar: ${absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}/calendar.ics`)}\n`,
  };
}

export function cancelledEmail(o: Common & { appointment: AppointmentLine; reason: string }): { subject: string; text: string } {
  return {
    subject: `${o.eveningName}: your appointment with ${o.appointment.teacherName} is cancelled`,
    text:
      `Dear ${o.carerName},\n\nThe school has cancelled your appointment at ${o.eveningName}:\n\n- ${appointmentWords(o.appointment, o.timeZone)}\n\n` +
      `The reason: ${o.reason}\n\nTo choose another time: ${absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`)}\n`,
  };
}

export function timeFreeEmail(o: Common & { teacherName: string; pupilName: string }): { subject: string; text: string } {
  return {
    subject: `${o.eveningName}: a time with ${o.teacherName} is free`,
    text:
      `Dear ${o.carerName},\n\nYou asked to hear when a time with ${o.teacherName} (for ${o.pupilName}) frees up. One has just become free.\n\n` +
      `Times go quickly. To book it: ${absoluteLink(o.baseUrl, `/parents-evenings/${o.eveningId}`)}\n`,
  };
}
