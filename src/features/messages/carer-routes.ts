import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeatureDeps } from '../../platform/deps.ts';
import { anyone, carers } from '../../platform/access/policy.ts';
import { audit } from '../../platform/audit/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { ENGLISH_COOKIE, textForCarer } from '../../platform/i18n/plugin.ts';
import { letterFor, subjectFor, type Translation } from './content.ts';
import { inboxOf, markAcknowledged, markRead, receivedBy, receivedByToken, translationsOf } from './queries.ts';

const V = 'features/messages/views';
type Received = NonNullable<Awaited<ReturnType<typeof receivedBy>>>;

/** Carers read their messages: in the inbox when signed in, or through the link in the email. */
export function carerMessageRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;

  async function show(reply: FastifyReply, received: Received, actions: { acknowledge: string; back: string | null }) {
    const translations = (await translationsOf(db, received.id)) as Translation[];
    const subject = subjectFor(received, reply.request.text);
    const letter = letterFor({ subject, body: received.body }, translations, received.language, received.pupil_names ? received.pupil_names.split(', ') : []);
    return reply.page(`${V}/read.njk`, { title: letter.subject, letter, received, actions, backLink: actions.back });
  }

  /** The link in an email opens the message without signing in: the page is in the carer's language all the same (unless they chose English here). */
  async function speakTo(request: FastifyRequest, received: Received) {
    if (request.user || request.cookies[ENGLISH_COOKIE] === '1') return;
    request.text = await textForCarer(db, received.school_id, received.language, clock());
  }

  app.get('/inbox', { config: { policy: carers } }, async (request, reply) => {
    // ?pupil=: one child's messages (the guard has checked the child is theirs to see).
    const pupil = (request.query as { pupil?: string }).pupil;
    const rows = (await inboxOf(db, request.user!.id, pupil)).map((m) => ({ ...m, subject: m.translated_subject ?? subjectFor(m, request.text) }));
    return reply.page(`${V}/inbox.njk`, { title: request.text('messages.inbox.title'), rows, filtered: !!pupil });
  });

  app.get('/inbox/:messageId', { config: { policy: carers } }, async (request, reply) => {
    const received = await receivedBy(db, request.user!.id, (request.params as { messageId: string }).messageId);
    if (!received) throw notFound();
    await markRead(db, received.recipient_id, clock());
    return show(reply, received, { acknowledge: `/inbox/${received.id}/acknowledge`, back: '/inbox' });
  });

  app.post('/inbox/:messageId/acknowledge', { config: { policy: carers } }, async (request, reply) => {
    const received = await receivedBy(db, request.user!.id, (request.params as { messageId: string }).messageId);
    if (!received) throw notFound();
    await markAcknowledged(db, received.recipient_id, clock());
    return reply.redirect(`/inbox/${received.id}`, 303);
  });

  // The link in the email: the token is the carer's own, so it opens that message without signing in.
  app.get('/m/:token', { config: { policy: anyone } }, async (request, reply) => {
    const received = await receivedByToken(db, (request.params as { token: string }).token);
    if (!received) throw notFound();
    await speakTo(request, received);
    await markRead(db, received.recipient_id, clock());
    return show(reply, received, { acknowledge: `/m/${received.read_token}/acknowledge`, back: null });
  });

  app.post('/m/:token/acknowledge', { config: { policy: anyone } }, async (request, reply) => {
    const received = await receivedByToken(db, (request.params as { token: string }).token);
    if (!received) throw notFound();
    await markAcknowledged(db, received.recipient_id, clock());
    return reply.redirect(`/m/${received.read_token}`, 303);
  });

  app.get('/m/:token/stop-emails', { config: { policy: anyone } }, async (request, reply) => {
    const received = await receivedByToken(db, (request.params as { token: string }).token);
    if (!received) throw notFound();
    await speakTo(request, received);
    return reply.page(`${V}/stop-emails.njk`, { title: request.text('messages.stop.title'), token: received.read_token });
  });

  app.post('/m/:token/stop-emails', { config: { policy: anyone } }, async (request, reply) => {
    const received = await receivedByToken(db, (request.params as { token: string }).token);
    if (!received) throw notFound();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('carers').set({ channel_email: 0, updated_at: clock().toISOString() }).where('id', '=', received.carer_id).execute();
      await audit(
        trx,
        { kind: 'carer', id: received.carer_id, schoolId: received.school_id, ip: request.ip },
        { schoolId: received.school_id, action: 'carer.stopped_emails', entity: 'carer', entityId: received.carer_id, before: { channel_email: 1 }, after: { channel_email: 0 } },
        clock(),
      );
    });
    await speakTo(request, received);
    return reply.page(`${V}/stop-emails.njk`, { title: request.text('messages.stop.doneTitle'), done: true, token: received.read_token });
  });
}
