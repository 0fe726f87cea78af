import { parseDuration } from '../../config/duration.js';
import type { NativeEnvironment } from '../environment.js';

// What the environment's `testDouble` section becomes for each app node of the test double:
// flags for its behaviour (unsafe modes, a capacity cap) and, in the environment (it may hold
// secrets, which never go on a command line), the Mattermost config keys set over the defaults.

/** The test double's flags for the environment's `testDouble` settings. */
export function testDoubleArgs(settings: NativeEnvironment['testDouble']): string[] {
  const args = settings.unsafe.length > 0 ? ['--unsafe', settings.unsafe.join(',')] : [];
  if (settings.linkPreviews) args.push('--link-previews');
  const cap = settings.capacityLimit;
  if (cap !== undefined)
    args.push(
      '--capacity-limit',
      `${cap.concurrency}:${Math.max(1, Math.round(parseDuration(cap.serviceTime)))}`,
    );
  return args;
}

type Sections = Record<string, Record<string, unknown>>;

/**
 * MMDOUBLE_CONFIG_JSON for the app nodes: the environment's `testDouble.config`, with
 * EmailSettings.PushNotificationServer pointed at the stack's push-proxy sink unless the file
 * sets it (the double never sends a push off this machine).
 */
export function testDoubleEnv(
  settings: NativeEnvironment['testDouble'],
  pushSinkUrl: string,
): Record<string, string> {
  const given: Sections = settings.config ?? {};
  const email = { PushNotificationServer: pushSinkUrl, ...given.EmailSettings };
  return { MMDOUBLE_CONFIG_JSON: JSON.stringify({ ...given, EmailSettings: email }) };
}
