import type { FastifyInstance } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { staff } from '../../platform/access/policy.ts';
import type { StaffUser } from '../../platform/access/roles.ts';
import { audit } from '../../platform/audit/audit.ts';
import { localDate } from '../../platform/calendar/time.ts';
import { helpLine } from '../../platform/channels/help-lines.ts';
import { AppError } from '../../platform/errors.ts';
import { COMPOSERS } from './compose.ts';
import { letterFor, type Translation } from './content.ts';
import { translationsOf } from './queries.ts';
import { namesTogether } from './recipients.ts';
import { paperRecipients } from './paper-queries.ts';
import { paragraphs, textDirection } from './translation.ts';
import { messageVisibleTo } from './translation-queries.ts';

const V = 'features/messages/views';
const composers = staff(COMPOSERS);

/**
 * The paper pack: one printable letter per carer who gets this message on paper, addressed to
 * them, naming their children, in their language where a usable translation exists (otherwise
 * English with the help line in their language). Each letter is a `gp-letter`, one to a page.
 */
export function paperRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  app.get('/messages/:messageId/paper', { config: { policy: composers } }, async (request, reply) => {
    const user = request.user as StaffUser;
    const message = await messageVisibleTo(db, user, (request.params as { messageId: string }).messageId);
    if (message.status !== 'sent' || !message.sent_at) {
      throw new AppError('conflict', 'Paper copies can be printed once the message has been sent: until then, who receives it may still change.');
    }
    const timeZone = request.school!.time_zone;
    const [{ letters, withheld }, translations] = await Promise.all([paperRecipients(db, user.schoolId, message.id, request.scope.today), translationsOf(db, message.id)]);
    const pack = letters.map((r) => {
      const letter = letterFor(message, translations as Translation[], r.language, r.children);
      return {
        ...r,
        letter,
        text: textDirection(letter.language),
        help: letter.help ? { text: letter.help, ...textDirection(r.language) } : null,
        paragraphs: paragraphs(letter.body),
        childrenText: r.children.length ? namesTogether(r.children) : null,
      };
    });
    await audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'message.paper_pack_viewed', entity: 'message', entityId: message.id, after: { letters: pack.length, withheld } },
      clock(),
    );
    return reply.page(`${V}/paper.njk`, {
      title: `Paper copies: ${message.subject}`,
      message,
      letters: pack,
      withheld,
      sentOn: localDate(new Date(message.sent_at), timeZone),
      translatedCount: pack.filter((p) => p.letter.translated).length,
      missingHelp: pack.filter((p) => !p.letter.translated && p.language !== 'English' && !helpLine(p.language)).length,
    });
  });
}
