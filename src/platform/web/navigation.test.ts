import { describe, expect, it } from 'vitest';
import type { StaffRole } from '../../db/schema.ts';
import type { User } from '../access/roles.ts';
import { navFor, sectionNavFor } from './navigation.ts';

const staff = (...roles: StaffRole[]): User => ({ kind: 'staff', id: 's', schoolId: 'x', roles, name: 'A', email: 'a@school.test' });
const carer: User = { kind: 'carer', id: 'c', schoolId: 'x', name: 'Marta', email: null };
const texts = (items: { text: string }[]) => items.map((i) => i.text);

describe('the menu', () => {
  it('gives the head a few sections, and lists the open section’s places under the header', () => {
    expect(texts(navFor(staff('head'), '/'))).toEqual(['Home', 'Tell the DSL', 'Families', 'Messages', 'Meetings', 'Events', 'Concerns', 'Listening', 'Agreement', 'Records', 'Your account']);
    const open = sectionNavFor(staff('head'), '/evenings/123/schedule?x=1');
    expect(open).toEqual([
      { href: '/meetings', text: 'Meetings', active: false },
      { href: '/evenings', text: 'Parents’ evenings', active: true },
    ]);
    expect(navFor(staff('head'), '/evenings/123').find((i) => i.active)?.text).toBe('Meetings');
    // Pages that belong to a place without being under its address.
    expect(sectionNavFor(staff('head'), '/monitoring/complaints').find((i) => i.active)?.text).toBe('Complaints');
    expect(sectionNavFor(staff('head'), '/settings/messages').find((i) => i.active)?.text).toBe('Messages');
    // Behaviour towards staff: the register and each carer's page are in one place, under Concerns, not one under Complaints and one under Carers.
    for (const path of ['/conduct', '/carers/c1/conduct', '/carers/c1/conduct/arrangements/a1/letter']) {
      expect(
        navFor(staff('head'), path)
          .filter((i) => i.active)
          .map((i) => i.text),
        path,
      ).toEqual(['Concerns']);
      expect(
        sectionNavFor(staff('head'), path)
          .filter((i) => i.active)
          .map((i) => i.text),
        path,
      ).toEqual(['Behaviour towards staff']);
    }
    expect(
      navFor(staff('head'), '/carers/c1')
        .filter((i) => i.active)
        .map((i) => i.text),
    ).toEqual(['Families']);
    expect(texts(sectionNavFor(staff('head'), '/concerns'))).toEqual(['Concerns', 'Complaints', 'Behaviour towards staff']);
    // A pupil's profile lives under the pupil's address but belongs to Profiles; the pupil's own page to Pupils.
    expect(
      sectionNavFor(staff('senco'), '/pupils/p1/profile/changes')
        .filter((i) => i.active)
        .map((i) => i.text),
    ).toEqual(['Profiles']);
    expect(
      sectionNavFor(staff('senco'), '/pupils/p1')
        .filter((i) => i.active)
        .map((i) => i.text),
    ).toEqual(['Pupils']);
  });

  it('names a section of one place after the place, and shows nothing under the header for it', () => {
    const governor = navFor(staff('governor'), '/complaints');
    expect(texts(governor)).toEqual(['Home', 'Tell the DSL', 'Complaints', 'Listening', 'Agreement', 'Your account']);
    expect(governor.find((i) => i.active)?.href).toBe('/complaints');
    expect(sectionNavFor(staff('governor'), '/complaints')).toEqual([]);
  });

  it('matches whole parts of an address: /events is not under /evenings, /my-complaints is under a carer’s concerns', () => {
    expect(navFor(staff('head'), '/eveningsx').some((i) => i.active)).toBe(false);
    expect(navFor(carer, '/my-complaints/abc').find((i) => i.active)?.href).toBe('/my-concerns');
    expect(sectionNavFor(carer, '/my-events/abc').map((i) => [i.href, i.active])).toEqual([
      ['/agreement', false],
      ['/my-surveys', false],
      ['/my-events', true],
      ['/my-volunteering', false],
      ['/my-community', false],
      ['/term-dates', false],
    ]);
  });

  it('gives every member of staff, whatever their role, one step to the DSL; never a carer', () => {
    for (const role of ['head', 'senior_leader', 'teacher', 'office', 'dsl', 'deputy_dsl', 'senco', 'family_liaison', 'governor'] as StaffRole[]) {
      expect(navFor(staff(role), '/')[1], role).toEqual({ href: '/tell-the-dsl', text: 'Tell the DSL', active: false });
    }
    expect(navFor(staff('teacher'), '/tell-the-dsl').find((i) => i.active)?.text).toBe('Tell the DSL');
    expect(navFor(carer, '/').some((i) => i.href === '/tell-the-dsl')).toBe(false);
  });

  it('shows Attendance under Families to those who follow it, with its import in the same place', () => {
    for (const role of ['head', 'senior_leader', 'office', 'family_liaison', 'teacher'] as StaffRole[]) {
      expect(texts(sectionNavFor(staff(role), '/pupils')), role).toContain('Attendance');
    }
    for (const role of ['dsl', 'senco', 'governor'] as StaffRole[]) expect(texts(sectionNavFor(staff(role), '/pupils')), role).not.toContain('Attendance');
    expect(sectionNavFor(staff('office'), '/attendance/import/abc').find((i) => i.active)?.text).toBe('Attendance');
  });

  it('shows nothing to someone signed out', () => {
    expect(navFor(null, '/')).toEqual([]);
    expect(sectionNavFor(null, '/')).toEqual([]);
  });
});
