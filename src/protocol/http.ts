/**
 * The HTTP API's answers, as zod schemas: the server builds its answers to these types and the
 * page validates what it receives against them, so the two cannot drift apart.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.js';

export const LOGIN_PATH = '/login';
export const INFO_PATH = '/info';
/** The token endpoint of Twilio's sample servers (GET for the quickstart, POST for the reference app). */
export const SAMPLE_TOKEN_PATH = '/token';
/** The reference app's recording rules endpoint: Huddle records nothing, and says so. */
export const SAMPLE_RECORDING_RULES_PATH = '/recordingrules';

/** Which engine carries the calls: Huddle's own SFU, or Twilio Programmable Video. */
export const BackendKindSchema = z.enum(['embedded', 'twilio']);
export type BackendKind = z.infer<typeof BackendKindSchema>;

/** As RTCIceServer takes it; TURN entries carry short-lived credentials. */
export const IceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

/** POST /login's answer: the seed's `{token}`, and what the page needs to join with it. */
export const LoginAnswerSchema = z.object({
  token: z.string().min(1),
  identity: z.string(),
  room: z.string(),
  /** Which SDK the page must join with: Huddle's, or twilio-video. */
  backend: BackendKindSchema,
  /** Unix seconds. */
  expiresAt: z.number(),
  /** For the browser's RTCPeerConnection: STUN/TURN servers (embedded backend only). */
  iceServers: z.array(IceServerSchema).optional(),
  iceTransportPolicy: z.enum(['all', 'relay']).optional(),
});
export type LoginAnswer = z.infer<typeof LoginAnswerSchema>;

/** POST /token's answer, as twilio-video-app-react's server gives it. */
export const SampleTokenAnswerSchema = z.object({ token: z.string().min(1), room_type: z.literal('group') });
export type SampleTokenAnswer = z.infer<typeof SampleTokenAnswerSchema>;

/** GET /info: what the page shows before anyone joins. */
export const InfoAnswerSchema = z.object({ backend: BackendKindSchema, version: z.string() });
export type InfoAnswer = z.infer<typeof InfoAnswerSchema>;

/** The body of every HTTP error (and the payload of every signalling error). */
export const ErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});
