import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { carers } from '../../platform/access/policy.ts';
import { calendarFile } from '../../platform/calendar/ics.ts';
import { notFound } from '../../platform/errors.ts';
import { meetingStaff } from './meetings-forms.ts';
import { carerMeeting, staffMeeting } from './meetings-pages.ts';
import { agendaOf, meetingCarersOf, meetingStaffOf, pupilOf, schoolOf, type Meeting } from './meetings-queries.ts';
import { childName, KIND_LABELS, whereText } from './meetings-rules.ts';

/**
 * Calendar files (.ics) for a meeting with a time: one for the family, one for staff. The uid is the
 * meeting's, so a changed or cancelled meeting updates the calendar instead of adding another.
 * Neither carries a safety plan or a note.
 */
export function calendarRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db } = deps;

  function send(reply: FastifyReply, meeting: Meeting, event: { title: string; description: string }) {
    if (!meeting.starts_at || !meeting.ends_at) throw notFound();
    const file = calendarFile([
      {
        uid: `meeting-${meeting.id}`,
        title: event.title,
        description: event.description,
        location: whereText(meeting),
        starts: meeting.starts_at,
        ends: meeting.ends_at,
        cancelled: meeting.status === 'cancelled',
      },
    ]);
    return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="meeting.ics"').send(file);
  }

  app.get('/meetings/:meetingId/calendar.ics', { config: { policy: meetingStaff } }, async (request, reply) => {
    const meeting = await staffMeeting(db, request);
    const [pupil, carers, agenda] = await Promise.all([pupilOf(db, meeting.school_id, meeting.pupil_id), meetingCarersOf(db, meeting.id), agendaOf(db, meeting.id)]);
    const family = carers.map((c) => c.name).join(' and ') || 'a family';
    const about = pupil ? ` about ${pupil.given_name} ${pupil.family_name}` : '';
    return send(reply, meeting, {
      title: `${KIND_LABELS[meeting.kind]}: ${family}${about}`,
      description: [meeting.topic, ...agenda.map((a) => `- ${a.text}`), meeting.interpreter_language ? `Interpreter: ${meeting.interpreter_language}` : null].filter(Boolean).join('\n'),
    });
  });

  app.get('/my-meetings/:meetingId/calendar.ics', { config: { policy: carers } }, async (request, reply) => {
    const meeting = await carerMeeting(db, request);
    if (meeting.status === 'requested' || meeting.status === 'offered') throw notFound();
    const [pupil, school, staff] = await Promise.all([pupilOf(db, meeting.school_id, meeting.pupil_id), schoolOf(db, meeting.school_id), meetingStaffOf(db, meeting.id)]);
    const lead = staff.find((s) => s.role === 'lead');
    return send(reply, meeting, {
      title: `Meeting at ${school.name} about ${childName(pupil)}`,
      description: [meeting.topic, lead ? `With ${lead.name}` : null].filter(Boolean).join('\n'),
    });
  });
}
