/** The shared test kit: assertions every test file uses the same way. */
export { assertErrorCode, type ErrorFor, type MessageCheck, rejectsWithCode, throwsWithCode } from './errors.ts';
