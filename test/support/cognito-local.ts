/**
 * cognito-local run in the test process: the same starter as the demo's
 * (examples/server-rendered/cognito-local.ts), so tests and `npm start` drive one emulator setup.
 */
export { startCognitoLocal, type CognitoLocal, type SentCode } from '../../examples/server-rendered/cognito-local.js';
