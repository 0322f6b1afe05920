import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { connectedSocket, createMailer, isConnectionError } from './email.ts';

/** The mailer's connections to a real SMTP server on loopback. */
describe('email over SMTP', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink(0);
  });
  afterAll(async () => sink?.close());

  it('sends on connections that write at once (Nagle off), not 40 ms late per message', async () => {
    const sendsAtOnce: net.Socket[] = [];
    const setNoDelay = net.Socket.prototype.setNoDelay;
    const spy = vi.spyOn(net.Socket.prototype, 'setNoDelay').mockImplementation(function (this: net.Socket, noDelay?: boolean) {
      if (noDelay !== false) sendsAtOnce.push(this);
      return setNoDelay.call(this, noDelay);
    });
    const mailer = createMailer(sink.url, 'School <school@test>');
    try {
      await Promise.all([1, 2, 3].map((n) => mailer.send({ to: `carer${n}@families.test`, subject: `Hello ${n}`, text: 'Newsletter' })));
      // The emails went over a socket the mailer set to send at once.
      expect(sendsAtOnce.some((s) => s.remotePort === sink.port && s.bytesWritten > 0)).toBe(true);
    } finally {
      spy.mockRestore();
      mailer.close();
    }
    for (const n of [1, 2, 3]) expect((await sink.waitFor(`carer${n}@families.test`)).subject).toBe(`Hello ${n}`);
  });

  it('says the server cannot be reached when nothing listens on its port', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await new Promise<Error | null>((resolve) => connectedSocket(5000)({ pool: true, host: '127.0.0.1', port }, (err) => resolve(err)));
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isConnectionError(error)).toBe(true);
    const mailer = createMailer(`smtp://127.0.0.1:${port}`, 'School <school@test>');
    try {
      const failed = await mailer.send({ to: 'carer@families.test', subject: 'Hello', text: 'Newsletter' }).catch((e: unknown) => e);
      expect(isConnectionError(failed)).toBe(true);
    } finally {
      mailer.close();
    }
  });
});
