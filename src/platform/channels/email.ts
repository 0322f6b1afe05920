import nodemailer from 'nodemailer';

/** Email over SMTP. One small adapter: the rest of Gatepost only knows `send`. */
export type EmailMessage = { to: string; subject: string; text: string; html?: string };
export type Mailer = { send(message: EmailMessage): Promise<void>; close(): void };

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl.includes('pool=') ? smtpUrl : withPool(smtpUrl));
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

function withPool(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}pool=true`;
}
