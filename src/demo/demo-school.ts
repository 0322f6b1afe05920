import type { Db } from '../db/database.ts';

export type DemoSignIn = { who: string; email: string; how: string };
export type DemoSummary = { schoolId: string; pupils: number; carers: number; signIns: DemoSignIn[] };

export const DEMO_PASSWORD = 'gatepost-demo-password';

/** Placeholder until the demo school generator lands. */
export async function loadDemoSchool(db: Db, options: { now?: Date } = {}): Promise<DemoSummary> {
  void db;
  void options;
  throw new Error('not yet');
}
