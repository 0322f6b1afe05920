// The safeguarding feature's public face: "Tell the DSL" from any staff page (the mechanism itself is platform/safeguarding).
export { tellTheDslRoutes } from './routes.ts';
