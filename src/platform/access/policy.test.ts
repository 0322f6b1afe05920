import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import { decide, staff, carers, anyone, signedIn } from './policy.ts';
import { can, pupilReach, type CarerUser, type StaffUser } from './roles.ts';
import { registerGuard } from './guard.ts';
import { readConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';

const teacher: StaffUser = { kind: 'staff', id: 's1', schoolId: 'x', roles: ['teacher'], name: 'Mr Okafor', email: 'o@x' };
const dsl: StaffUser = { ...teacher, roles: ['dsl', 'teacher'] };
const governor: StaffUser = { ...teacher, roles: ['governor'] };
const carer: CarerUser = { kind: 'carer', id: 'c1', schoolId: 'x', name: 'Marta Nowak', email: null };

describe('route policies', () => {
  it('sends signed-out people to sign in, and keeps out the wrong kind of person', () => {
    expect(decide(staff(['head']), null)).toBe('sign_in');
    expect(decide(staff(['head']), teacher)).toBe('deny');
    expect(decide(staff(['teacher']), teacher)).toBe('allow');
    expect(decide(carers, teacher)).toBe('deny');
    expect(decide(carers, carer)).toBe('allow');
    expect(decide(staff(['teacher']), carer)).toBe('deny');
    expect(decide(anyone, null)).toBe('allow');
    expect(decide(signedIn, carer)).toBe('allow');
  });

  it('lets a teacher see their own classes only, unless the school allows more; governors see no pupils', () => {
    expect(pupilReach(teacher, false)).toBe('own_classes');
    expect(pupilReach(teacher, true)).toBe('school');
    expect(pupilReach(dsl, false)).toBe('school');
    expect(pupilReach(governor, true)).toBe('none');
  });

  it('shows restriction details to the head and DSL only', () => {
    expect(can(dsl, 'readRestrictionDetails')).toBe(true);
    expect(can(teacher, 'readRestrictionDetails')).toBe(false);
    expect(can(carer, 'readRestrictionDetails')).toBe(false);
  });

  it('refuses to start when a route declares no policy', async () => {
    const app = Fastify();
    await app.register(cookie);
    const { db, close } = openDatabase({ kind: 'sqlite', path: ':memory:' });
    registerGuard(app, { db, config: readConfig({ NODE_ENV: 'test' }), clock: () => new Date() }, []);
    expect(() => app.get('/forgotten', async () => 'oops')).toThrow(/GET \/forgotten has no access policy/);
    await close();
  });

  it('refuses to start when a route names a record the registry does not know (it could not be looked up in the school)', async () => {
    const app = Fastify();
    await app.register(cookie);
    const { db, close } = openDatabase({ kind: 'sqlite', path: ':memory:' });
    registerGuard(app, { db, config: readConfig({ NODE_ENV: 'test' }), clock: () => new Date() }, []);
    expect(() => app.get('/picnics/:picnicId', { config: { policy: staff(['head']) } }, async () => 'oops')).toThrow(/add :picnicId to RECORD_PARAMS/);
    expect(() => app.get('/pupils/:pupilId/x', { config: { policy: staff(['head']) } }, async () => 'fine')).not.toThrow();
    await close();
  });
});
