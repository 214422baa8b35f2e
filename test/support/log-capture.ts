/** Captures every `passport-multistep:*` debug line written during the test run. */
import createDebug from 'debug';
import { format } from 'node:util';

export const capturedLogs: string[] = [];

createDebug.enable('passport-multistep:*');
createDebug.log = (...args: unknown[]) => {
  capturedLogs.push(format(...(args as [unknown, ...unknown[]])));
};
