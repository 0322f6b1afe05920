// Attendance: what other code may use.
export { attendanceRoutes } from './routes.ts';
export { attendanceForCarer, type CarerAttendance } from './carer.ts';
