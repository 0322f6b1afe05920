import type { FastifyInstance } from 'fastify';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { audit } from '../../platform/audit/audit.ts';
import { formatInstant } from '../../platform/calendar/time.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { sendCsv } from '../../platform/web/csv.ts';
import { COMPOSERS } from './compose.ts';
import { mayOpenMessage } from './message-access.ts';
import { getMessage, reachOf } from './queries.ts';
import { howTheyGotIt, type GotIt } from './reach.ts';

/** As on the message's page: only those who got it online can be seen to read it (reach.ts). */
const GOT_IT_WORDS: Record<GotIt, string> = { online: 'Online', paper: 'On paper only: cannot be seen to read it', text: 'By text only: cannot be seen to read it' };
const SEND_WORDS: Record<string, string> = { sent: 'Delivered to the mail server', pending: 'Waiting', sending: 'Waiting', failed: 'Failed' };

/** The reach of a sent message, one row per parent or carer: the same people who see the message's page. Audited. */
export function reachExportRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/messages/:messageId/reach.csv', { config: { policy: staff(COMPOSERS) } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const message = await getMessage(db, user.schoolId, (request.params as { messageId: string }).messageId);
    if (!message || message.status !== 'sent' || !mayOpenMessage(user, message)) throw notFound();
    const { recipients, sends } = await reachOf(db, message.id);
    const timeZone = request.school?.time_zone ?? 'Europe/London';
    const when = (at: string | null) => (at ? formatInstant(at, timeZone) : '');
    const sendOf = (ref: string, channel: 'email' | 'sms') => {
      const send = sends.find((s) => s.ref === ref && s.channel === channel);
      if (!send) return '';
      const words = SEND_WORDS[send.status] ?? send.status;
      return send.status === 'failed' && send.last_error ? `${words}: ${send.last_error}` : words;
    };
    await audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'export.downloaded', entity: 'message', entityId: message.id, after: { what: 'message_reach', rows: recipients.length } },
      clock(),
    );
    return sendCsv(
      reply,
      `reach-${message.subject}`,
      ['Parent or carer', 'About', 'Language', 'Sent by', 'Email', 'Text', 'Read', 'Said they had read it', 'How they got it'],
      recipients.map((r) => [
        `${r.given_name} ${r.family_name}`,
        r.pupil_names,
        r.language,
        r.channels.split(',').join(', '),
        sendOf(r.id, 'email'),
        sendOf(r.id, 'sms'),
        when(r.read_at),
        when(r.acknowledged_at),
        GOT_IT_WORDS[howTheyGotIt(r.channels, message.kind)],
      ]),
    );
  });
}
