/** Settings → Languages: what other code may use (the demo school records a check and its own words). */
export { languagesRoutes } from './routes.ts';
export { recordLanguageCheck, setOwnWords } from './queries.ts';
