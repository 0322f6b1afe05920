import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { YearGroup } from '../../db/schema.ts';
import { staff } from '../../platform/access/policy.ts';
import { WHOLE_SCHOOL_ROLES } from '../../platform/access/roles.ts';
import { audit } from '../../platform/audit/audit.ts';
import type { FeatureDeps } from '../../platform/deps.ts';
import { sendCsv } from '../../platform/web/csv.ts';
import { carersWithLinksForExport, pupilsForExport } from './export-queries.ts';
import { RELATIONSHIP_LABELS, SEND_LABELS, YEAR_GROUP_LABELS, YEAR_GROUPS } from './validation.ts';

/** The same people as the pupils and carers pages: whole-school staff, and teachers for their own classes. */
const seeingPupils = staff([...WHOLE_SCHOOL_ROLES, 'teacher'], 'own_classes');

/** A query string as the pages send it; anything else (repeated, too long, unknown) is dropped, not an error. */
const one = z.string().max(100).optional().catch(undefined);
const PupilQuery = z.object({
  q: one,
  year: z
    .enum(YEAR_GROUPS as [YearGroup, ...YearGroup[]])
    .optional()
    .catch(undefined),
  class: one,
});
const CarerQuery = z.object({ q: one });

const yesNo = (flag: number | null | undefined) => (flag ? 'Yes' : 'No');

/** CSV downloads of the pupils and carers lists, each audited (who downloaded what, how many rows). */
export function peopleExportRoutes(app: FastifyInstance, deps: FeatureDeps): void {
  const { db, clock } = deps;
  const exported = (request: FastifyRequest, what: string, rows: number, filter: object) => {
    const user = request.user!;
    return audit(
      db,
      { kind: 'staff', id: user.id, schoolId: user.schoolId, ip: request.ip },
      { schoolId: user.schoolId, action: 'export.downloaded', entity: 'export', entityId: what, after: { what, rows, filter } },
      clock(),
    );
  };

  app.get('/pupils.csv', { config: { policy: seeingPupils } }, async (request, reply) => {
    const query = PupilQuery.parse(request.query ?? {});
    const filter = { q: query.q, year: query.year, classId: query.class || undefined };
    const pupils = await pupilsForExport(db, request.user!, request.scope, filter);
    await exported(request, 'pupils', pupils.length, filter);
    return sendCsv(
      reply,
      `pupils-${request.scope.today}`,
      ['UPN', 'Legal forename', 'Legal surname', 'Preferred forename', 'Date of birth', 'Year group', 'Class', 'SEN status', 'EAL', 'Home language'],
      pupils.map((p) => [
        p.upn,
        p.given_name,
        p.family_name,
        p.preferred_name,
        p.date_of_birth,
        YEAR_GROUP_LABELS[p.year_group],
        p.class_name,
        SEND_LABELS[p.send_status],
        yesNo(p.eal),
        p.home_language,
      ]),
    );
  });

  app.get('/carers.csv', { config: { policy: seeingPupils } }, async (request, reply) => {
    const query = CarerQuery.parse(request.query ?? {});
    const rows = await carersWithLinksForExport(db, request.user!, request.scope, query.q);
    await exported(request, 'carers', rows.length, { q: query.q });
    const channels = (c: (typeof rows)[number]['carer']) =>
      [c.channel_email ? 'email' : null, c.channel_sms ? 'text' : null, c.channel_app ? 'app' : null, c.paper_copies ? 'paper' : null].filter(Boolean).join(', ');
    return sendCsv(
      reply,
      `carers-${request.scope.today}`,
      [
        'Title',
        'Forename',
        'Surname',
        'Email',
        'Mobile',
        'Address line 1',
        'Address line 2',
        'Town',
        'Postcode',
        'Preferred language',
        'Interpreter needed',
        'Channels',
        'Pupil',
        'Pupil UPN',
        'Class',
        'Relationship',
        'Parental responsibility',
        'Lives with pupil',
        'Contact priority',
        'May receive information',
        'Wants copies',
        'Restriction in force',
      ],
      rows.map(({ carer: c, link: l }) => [
        c.title,
        c.given_name,
        c.family_name,
        c.email,
        c.mobile,
        c.address_line1,
        c.address_line2,
        c.town,
        c.postcode,
        c.preferred_language,
        yesNo(c.interpreter_needed),
        channels(c),
        ...(l
          ? [
              `${l.preferred_name ?? l.given_name} ${l.family_name}`,
              l.upn,
              l.class_name,
              RELATIONSHIP_LABELS[l.relationship],
              yesNo(l.parental_responsibility),
              yesNo(l.lives_with_pupil),
              l.contact_priority,
              // What the link says, and no whenever a restriction is in force: a mail merge must never reach a restricted person.
              yesNo(l.may_receive_information && !l.restricted ? 1 : 0),
              yesNo(l.wants_copies),
              yesNo(l.restricted ? 1 : 0),
            ]
          : []),
      ]),
    );
  });
}
