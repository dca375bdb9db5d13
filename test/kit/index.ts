/** The shared test kit: assertions and waits every test file uses the same way. */
export { assertErrorCode, type ErrorFor, type MessageCheck, rejectsWithCode, throwsWithCode } from './errors.ts';
export { pollUntil, waitFor } from './wait.ts';
export { environmentFrom, settingsFrom } from './environment.ts';
