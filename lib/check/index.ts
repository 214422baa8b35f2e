/** The configuration check: {@link check} and the report it returns. */
export { check } from './check.js';
export type { CheckOptions } from './check.js';
export { formatCheckReport } from './format.js';
export type { CheckReport, CheckResult, CheckStatus, CheckProvider } from './result.js';
export type { IdcsCheckOptions } from './idcs.js';
export type { OaaCheckOptions } from './oaa.js';
export type { CyberArkCheckOptions } from './cyberark.js';
