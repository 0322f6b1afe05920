/**
 * POST routes the access matrix tries without a valid form, each with the reason. Every other POST
 * route has a `form` in its row, so "allowed" there means the write happened. A new POST route
 * must get a form or a line here (the matrix checks).
 */
export const EXEMPT_POSTS: Record<string, string> = {
  'POST /sms/receipts': 'Twilio’s delivery receipt: only a request signed with the account’s token is read (src/platform/channels/twilio.test.ts, texts.test.ts)',
  'POST /sign-in/two-step': 'needs a session waiting for its second step, which only signing in with a password makes',
  'POST /agreements/versions': 'one draft at a time: once the first person has started it, the next is taken to the draft already there and nothing is written (features/agreements/routes.test.ts)',
  'POST /clear-language': 'checks the writing it is given and shows advice; it writes nothing',
};
