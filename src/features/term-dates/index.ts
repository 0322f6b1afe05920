// Term dates and closures: what other code may use.
export { termDateRoutes } from './routes.ts';
export { TERM_DATE_KEEPERS, termsRunningOut } from './term-dates.ts';
