import { uuidv7 } from 'uuidv7';

/** A new random, time-ordered text id (UUIDv7): the same on both databases and not guessable. */
export function newId(): string {
  return uuidv7();
}
