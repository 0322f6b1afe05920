// Attendance: what other code may use.
export { attendanceRoutes } from './routes.ts';
// The carer's child page (one child) and home page (all their children, one query).
export { attendanceForCarer, attendanceOfCarersChildren, type CarerAttendance, type HomeAttendance } from './carer.ts';
