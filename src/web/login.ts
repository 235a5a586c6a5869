/** The page's two HTTP calls: a token for a name and a room, and which backend the server runs. */
import { HuddleError } from '../protocol/errors.js';
import {
  type BackendKind,
  ErrorBodySchema,
  INFO_PATH,
  InfoAnswerSchema,
  LOGIN_PATH,
  type LoginAnswer,
  LoginAnswerSchema,
} from '../protocol/http.js';

/** Resolves with the server's answer; rejects with its error (code and message) when it refuses. */
export async function login(username: string, room: string): Promise<LoginAnswer> {
  const response = await fetch(LOGIN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, room }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const answer = LoginAnswerSchema.safeParse(body);
    if (answer.success) return answer.data;
    throw new HuddleError('INTERNAL', 'The server answered the login with something unexpected', {
      cause: answer.error,
    });
  }
  const refusal = ErrorBodySchema.safeParse(body);
  if (refusal.success) throw new HuddleError(refusal.data.code, refusal.data.message);
  throw new HuddleError('INTERNAL', `Login failed (${response.status})`);
}

/** Which backend the server runs on, for the page to say so before anyone joins; null if unknown. */
export async function fetchBackend(): Promise<BackendKind | null> {
  const response = await fetch(INFO_PATH).catch(() => null);
  const info = InfoAnswerSchema.safeParse(await response?.json().catch(() => undefined));
  return info.success ? info.data.backend : null;
}
