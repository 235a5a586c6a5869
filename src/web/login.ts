/** Asks the server for an access token; throws with the server's message when it refuses. */
export interface LoginResult {
  token: string;
  identity: string;
  room: string;
}

export class LoginError extends Error {
  constructor(readonly status: number, message: string) {
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
  if (!response.ok || !body.token) throw new LoginError(response.status, body.message ?? `Login failed (${response.status})`);
  return body as LoginResult;
}
