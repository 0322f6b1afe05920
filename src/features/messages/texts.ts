import type { MessageKind } from '../../db/schema.ts';
import type { Channel, Recipient } from './recipients.ts';

/**
 * Texts need a text message provider (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN). Without one no
 * text is ever queued (it would wait for ever, with nobody told): an urgent notice goes by email and
 * in Gatepost instead, and the preview says so before sending and names the carers it reaches only
 * by text, for the office to phone.
 */
export function withoutTexts(recipients: Recipient[], kind: MessageKind = 'urgent'): { recipients: Recipient[]; onlyByText: Recipient[] } {
  if (kind !== 'urgent') {
    // A newsletter or letter the school sends by text with a link, to carers with a mobile but no
    // email: with no text service they get it on paper instead (in the paper pack), never nothing.
    return { recipients: recipients.map((r) => (r.channels.includes('sms') ? { ...r, channels: onPaperInstead(r.channels) } : r)), onlyByText: [] };
  }
  return {
    recipients: recipients.map((r) => (r.channels.includes('sms') ? { ...r, channels: inGatepostInstead(r.channels) } : r)),
    onlyByText: recipients.filter((r) => r.channels.includes('sms') && !r.channels.includes('email')),
  };
}

function onPaperInstead(channels: Channel[]): Channel[] {
  const rest = channels.filter((c) => c !== 'sms');
  return rest.includes('paper') ? rest : [...rest, 'paper'];
}

function inGatepostInstead(channels: Channel[]): Channel[] {
  const rest = channels.filter((c) => c !== 'sms');
  return rest.includes('app') ? rest : ['app', ...rest];
}
