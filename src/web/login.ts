/** Asks the server for an access token; throws with the server's message when it refuses. */
export type BackendKind = 'embedded' | 'twilio';

export interface LoginResult {
  token: string;
  identity: string;
  room: string;
  backend: BackendKind;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
}

export class LoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function login(username: string, room: string): Promise<LoginResult> {
  const response = await fetch('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, room }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<LoginResult> & { message?: string };
  if (!response.ok || !body.token)
    throw new LoginError(response.status, body.message ?? `Login failed (${response.status})`);
  return body as LoginResult;
}

/** Which backend the server runs on, for the page to say so before anyone joins. */
export async function fetchBackend(): Promise<BackendKind | null> {
  const response = await fetch('/info').catch(() => null);
  if (!response?.ok) return null;
  const body = (await response.json().catch(() => ({}))) as { backend?: BackendKind };
  return body.backend ?? null;
}
