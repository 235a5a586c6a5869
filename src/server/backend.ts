/**
 * Which engine carries the calls. Embedded: Huddle's own SFU, with tokens signed by its own key.
 * Twilio: Twilio Programmable Video, with real Twilio tokens minted by the `twilio` library.
 * Twilio is chosen when all three of the seed's TWILIO_* variables are set, unless
 * HUDDLE_BACKEND says otherwise; a partial set is refused, naming what is missing.
 */
import { HuddleError } from '../protocol/errors.js';
import type { BackendKind } from '../protocol/http.js';
import type { ApiCredentials } from '../tokens/access-token.js';

export const TWILIO_VARIABLES = ['TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET'] as const;

export interface BackendChoice {
  kind: BackendKind;
  /** Set for Twilio: the account's API key (the embedded backend's key comes from credentials.ts). */
  twilio?: ApiCredentials;
}

export function chooseBackend(env: NodeJS.ProcessEnv): BackendChoice {
  const requested = env.HUDDLE_BACKEND?.trim() || undefined;
  if (requested !== undefined && requested !== 'embedded' && requested !== 'twilio') {
    throw new HuddleError('CONFIG_INVALID', `HUDDLE_BACKEND must be 'embedded' or 'twilio', not '${requested}'`);
  }
  if (requested === 'embedded') return { kind: 'embedded' };
  const missing = TWILIO_VARIABLES.filter((name) => !env[name]?.trim());
  if (missing.length === TWILIO_VARIABLES.length && requested === undefined) return { kind: 'embedded' };
  if (missing.length > 0) {
    const why = requested === 'twilio' ? 'HUDDLE_BACKEND=twilio needs' : 'Running on Twilio needs all of';
    throw new HuddleError('CONFIG_INVALID', `${why} ${TWILIO_VARIABLES.join(', ')}; missing: ${missing.join(', ')}`);
  }
  return {
    kind: 'twilio',
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID!.trim(),
      keySid: env.TWILIO_API_KEY_SID!.trim(),
      keySecret: env.TWILIO_API_KEY_SECRET!.trim(),
    },
  };
}
