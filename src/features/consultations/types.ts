// The table types this feature uses, in one place.
export type { Selectable } from 'kysely';
export type { ConsultationTable, Database, PolicyTable } from '../../db/schema.ts';
