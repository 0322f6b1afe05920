import type { DemoSignIn } from './demo-school.ts';

/** Placeholder until the demo school generator lands. */
export const DEMO_SIGN_IN_EMAILS: DemoSignIn[] = [];
