/**
 * The name a trusted device is listed under in the user's IDCS profile. Oracle's sample client
 * (idcsAuthnSDK.js, `clientFingerprint`) sends "<browser> on <OS>" from the user agent; this
 * reads the same markers server-side (no `navigator.platform` here, so the OS comes from the UA).
 */
const browsers: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Microsoft Edge'], [/\bOPR\//, 'Opera'], [/\bChrom(e|ium)\//, 'Chrome'],
  [/\bFirefox\//, 'Firefox'], [/\bSafari\//, 'Safari'],
];
const systems: Array<[RegExp, string]> = [
  [/Windows/, 'Windows'], [/iPhone|iPad/, 'iPhone OS'], [/Macintosh|Mac OS X/, 'Mac OS'], [/Android/, 'Android'], [/Linux|X11/, 'Linux'],
];

export function trustedDeviceName(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = browsers.find(([marker]) => marker.test(ua))?.[1] ?? 'Unknown browser';
  const system = systems.find(([marker]) => marker.test(ua))?.[1] ?? 'Unknown OS';
  return `${browser} on ${system}`;
}
