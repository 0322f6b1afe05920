// The evenings feature's public face: what other features may use.
export { eveningsStillToCome } from './evening-list-queries.ts';
