/**
 * The signalling wire protocol, shared by the server and the browser SDK. docs/protocol.md
 * describes it for people; this module is the definition both ends validate against.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { IceServerSchema } from './http.js';
import { NameSchema, nameProblem, normalizeName } from './names.js';
import { NetworkQualityStatsSchema } from './network-quality-schema.js';

export { SIGNAL_PATH } from './endpoints.js';
export { PROTOCOL_VERSION } from './version.js';
/** Messages above this many bytes are refused with MESSAGE_TOO_LARGE (the connection lives on). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

const Sdp = z.string().min(1).max(MAX_MESSAGE_BYTES);
const Sid = z.string().min(1).max(64);
/** What a media line carries. */
export const TrackKindSchema = z.enum(['audio', 'video']);
export type TrackKind = z.infer<typeof TrackKindSchema>;
/** What a participant publishes: media, or a data track (messages over an SCTP data channel). */
export const PublishedKindSchema = z.enum(['audio', 'video', 'data']);
export type PublishedKind = z.infer<typeof PublishedKindSchema>;
/**
 * A data track's delivery, as RTCDataChannel and twilio-video's LocalDataTrack take it: ordered or
 * not, and at most one of the two limits on retrying (none: reliable).
 */
export const DataReliabilitySchema = z
  .strictObject({
    ordered: z.boolean(),
    maxPacketLifeTime: z.number().int().min(0).max(65535).nullable(),
    maxRetransmits: z.number().int().min(0).max(65535).nullable(),
  })
  .refine((r) => r.maxPacketLifeTime === null || r.maxRetransmits === null, {
    message: 'at most one of maxPacketLifeTime and maxRetransmits',
  });
export type DataReliability = z.infer<typeof DataReliabilitySchema>;
/** twilio-video's track priority: a publisher's for its track, a subscriber's for what it receives. */
export const TrackPrioritySchema = z.enum(['low', 'standard', 'high']);
export type TrackPriority = z.infer<typeof TrackPrioritySchema>;

/**
 * A published track's name, as the publisher gave it (twilio-video's LocalTrack `name`): unique
 * among one participant's published tracks. Huddle's own tracks are 'microphone', 'camera' and
 * 'screen' (a screen share). Text by the name rules, in canonical form: the client matches the
 * server's lines by name, so a name the server would rewrite is refused rather than normalized.
 */
export const TrackNameSchema = z
  .string()
  .max(512)
  .superRefine((value, context) => {
    const problem = nameProblem(value) ?? (normalizeName(value) === value ? undefined : 'must be in canonical form');
    if (problem) context.addIssue({ code: 'custom', message: `track name ${problem}` });
  });
export type TrackName = string;
/** At most this many tracks published at once by one participant. */
export const MAX_PUBLISHED_TRACKS = 16;
/** A track to publish: its kind and name. */
export const TrackRequestSchema = z.strictObject({
  kind: PublishedKindSchema,
  name: TrackNameSchema,
  priority: TrackPrioritySchema.optional(),
  /** A data track's delivery (absent: ordered and reliable). */
  reliability: DataReliabilitySchema.optional(),
});
export type TrackRequest = z.infer<typeof TrackRequestSchema>;

export const TrackInfoSchema = z.object({
  sid: Sid,
  kind: PublishedKindSchema,
  name: z.string(),
  /** False while the publisher has muted it (twilio-video's isTrackEnabled). */
  enabled: z.boolean(),
  /** The publisher's priority for it (twilio-video's publishPriority); absent means 'standard'. */
  priority: TrackPrioritySchema.optional(),
});
export type TrackInfo = z.infer<typeof TrackInfoSchema>;

export const ParticipantInfoSchema = z.object({
  sid: Sid,
  identity: z.string(),
  tracks: z.array(TrackInfoSchema),
  /** Protocol 3, in `joined`: they lost their connection and the server holds their seat while they resume. */
  state: z.literal('reconnecting').optional(),
});
export type ParticipantInfo = z.infer<typeof ParticipantInfoSchema>;

/** Which media line of the server's offer carries which remote participant's track. */
export const MidMappingSchema = z.object({
  mid: z.string().min(1).max(32),
  participantSid: Sid,
  trackSid: Sid,
  kind: TrackKindSchema,
});
export type MidMapping = z.infer<typeof MidMappingSchema>;

// ---- client → server -------------------------------------------------------------------------

export const JoinMessageSchema = z.strictObject({
  type: z.literal('join'),
  token: z.string().min(1).max(8192),
  /** The room to join; must match the token's grant when the grant names one. */
  room: NameSchema.optional(),
  /** What this participant will publish (protocol 1): a microphone and a camera, or not. */
  publish: z.strictObject({ audio: z.boolean(), video: z.boolean() }),
  /**
   * The tracks this participant joins with, by kind and name (names unique); when present it
   * stands for `publish`. The server offers a receive line for each.
   */
  tracks: z
    .array(TrackRequestSchema)
    .max(MAX_PUBLISHED_TRACKS)
    .refine((tracks) => new Set(tracks.map((t) => t.name)).size === tracks.length, {
      message: 'track names must be unique',
    })
    .optional(),
  /** false: the client receives no one's tracks (twilio-video's automaticSubscription: false). */
  subscribe: z.boolean().optional(),
  sdk: z.string().max(64).optional(),
  /** The protocol version the client speaks (PROTOCOL_VERSION); absent means 1. */
  protocol: z.number().int().min(1).max(1000).optional(),
  /** On reconnection: the participant SID this client had, so others keep seeing the same participant. */
  resume: z.string().max(64).optional(),
  /** With `resume`: the secret the server gave with that participant SID, so only its holder takes it back. */
  resumeSecret: z.string().max(64).optional(),
});

export const AnswerMessageSchema = z.strictObject({ type: z.literal('answer'), sdp: Sdp });
export const LeaveMessageSchema = z.strictObject({ type: z.literal('leave') });
export const PingMessageSchema = z.strictObject({ type: z.literal('ping'), id: z.number().int().optional() });
/** Chat text: plain text, shown as text; at most this many characters. */
export const MAX_CHAT_LENGTH = 2000;
export const CHAT_HISTORY_LENGTH = 100;
/** Chat is text: tabs and line breaks are, other control characters and broken surrogates are not. */
const CHAT_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** The chat history a newcomer gets stays well under the largest message (UTF-8 bytes of its texts). */
export const CHAT_HISTORY_BYTES = 64 * 1024;
export const ChatSendMessageSchema = z.strictObject({
  type: z.literal('chat'),
  text: z
    .string()
    .min(1)
    .max(MAX_CHAT_LENGTH)
    .refine((t) => t.trim().length > 0, { message: 'must not be blank' })
    .refine((t) => !CHAT_FORBIDDEN.test(t), { message: 'must be text, without control characters' }),
});
export const TrackStateMessageSchema = z.strictObject({
  type: z.literal('trackState'),
  trackSid: Sid,
  enabled: z.boolean(),
});
/**
 * Publishes one more track; the server answers with an offer carrying its line, or an error with
 * ref 'publish' (a name already published, too many tracks).
 */
export const PublishMessageSchema = z.strictObject({
  type: z.literal('publish'),
  kind: PublishedKindSchema,
  name: TrackNameSchema,
  priority: TrackPrioritySchema.optional(),
  reliability: DataReliabilitySchema.optional(),
});
/** What the client's browser measures of its network (src/protocol/network-quality.ts); the others are told. */
export const NetworkQualityMessageSchema = z.strictObject({
  type: z.literal('networkQuality'),
  stats: NetworkQualityStatsSchema,
});
/** The publisher's priority for one of its tracks changed (publication.setPriority()); the others are told. */
export const TrackPriorityMessageSchema = z.strictObject({
  type: z.literal('trackPriority'),
  trackSid: Sid,
  priority: TrackPrioritySchema,
});
export const UnpublishMessageSchema = z.strictObject({ type: z.literal('unpublish'), trackSid: Sid });
/** Protocol 2: one of the client's ICE candidates (an SDP candidate attribute without "a="), trickled after its answer. */
export const CandidateMessageSchema = z.strictObject({
  type: z.literal('candidate'),
  candidate: z.string().min(1).max(1024),
});

/**
 * An offer for a connection of its own on which the client sends the video track of publish line
 * `mid` in simulcast layers (rid-based, listed low to high in its a=simulcast line); the server
 * answers with `publishAnswer`, or an error with ref 'publishOffer'. The line itself stays idle.
 */
export const PublishOfferMessageSchema = z.strictObject({
  type: z.literal('publishOffer'),
  mid: z.string().min(1).max(32),
  sdp: Sdp,
});

/** twilio-video's bandwidthProfile.video, what of it the server acts on: how it shares each downlink. */
export const BandwidthProfileMessageSchema = z.strictObject({
  type: z.literal('bandwidthProfile'),
  mode: z.enum(['grid', 'collaboration', 'presentation']).optional(),
  dominantSpeakerPriority: TrackPrioritySchema.optional(),
  /** bits/s this client wants to receive at most, all videos together (absent: no cap). */
  maxSubscriptionBitrate: z.number().int().min(0).max(1_000_000_000).optional(),
});
const RenderSize = z.number().int().min(0).max(16_384);
/**
 * What this client wants of one remote video: switched on or off (twilio-video's switchOn and
 * switchOff, or no visible element), the size it is shown at (renderDimensions, in device
 * pixels), and its own priority for it (null: the publisher's). Absent fields stay as they were.
 */
export const TrackPreferencesMessageSchema = z.strictObject({
  type: z.literal('trackPreferences'),
  trackSid: Sid,
  on: z.boolean().optional(),
  renderWidth: RenderSize.optional(),
  renderHeight: RenderSize.optional(),
  priority: TrackPrioritySchema.nullable().optional(),
});

export const ClientMessageSchema = z.discriminatedUnion('type', [
  JoinMessageSchema,
  AnswerMessageSchema,
  LeaveMessageSchema,
  PingMessageSchema,
  ChatSendMessageSchema,
  TrackStateMessageSchema,
  PublishMessageSchema,
  UnpublishMessageSchema,
  CandidateMessageSchema,
  TrackPriorityMessageSchema,
  NetworkQualityMessageSchema,
  PublishOfferMessageSchema,
  BandwidthProfileMessageSchema,
  TrackPreferencesMessageSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type JoinMessage = z.infer<typeof JoinMessageSchema>;

/** The tracks a join asks for: its `tracks`, or a protocol 1 client's microphone and camera. */
export function joinTracks(join: JoinMessage): TrackRequest[] {
  if (join.tracks) return join.tracks;
  const tracks: TrackRequest[] = [];
  if (join.publish.audio) tracks.push({ kind: 'audio', name: 'microphone' });
  if (join.publish.video) tracks.push({ kind: 'video', name: 'camera' });
  return tracks;
}

// ---- server → client -------------------------------------------------------------------------

export const JoinedMessageSchema = z.object({
  type: z.literal('joined'),
  room: z.object({ sid: Sid, name: z.string() }),
  localParticipant: ParticipantInfoSchema,
  participants: z.array(ParticipantInfoSchema),
  /** Known only to this client: sent back with `resume` on reconnection (added by the room). */
  resumeSecret: z.string().max(64).optional(),
  /**
   * STUN/TURN servers for this client's connection (TURN with credentials minted for it), so an
   * app that never called /login still gets them; the client's own `iceServers` take precedence.
   */
  iceServers: z.array(IceServerSchema).max(16).optional(),
  iceTransportPolicy: z.enum(['all', 'relay']).optional(),
});
export const OfferMessageSchema = z.object({
  type: z.literal('offer'),
  sdp: Sdp,
  /** Lines carrying remote tracks to this client. */
  mids: z.array(MidMappingSchema),
  /** Lines on which this client sends its own tracks. */
  publish: z.array(z.object({ mid: z.string().min(1).max(32), trackSid: Sid, name: z.string() })),
});
export const ParticipantConnectedMessageSchema = z.object({
  type: z.literal('participantConnected'),
  participant: ParticipantInfoSchema,
});
export const ParticipantDisconnectedMessageSchema = z.object({
  type: z.literal('participantDisconnected'),
  participantSid: Sid,
});
/** Protocol 3: their connection dropped; the server holds their seat (and their track SIDs) while they resume. */
export const ParticipantReconnectingMessageSchema = z.object({
  type: z.literal('participantReconnecting'),
  participantSid: Sid,
});
/** Protocol 3: they resumed, with these tracks (an offer with their lines follows). */
export const ParticipantReconnectedMessageSchema = z.object({
  type: z.literal('participantReconnected'),
  participant: ParticipantInfoSchema,
});
export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** The type of the client message that caused it, when it could be read. */
  ref: z.string().optional(),
  /** For a refused publish: the name of the track it was for. */
  track: z.string().optional(),
});
export const PongMessageSchema = z.object({ type: z.literal('pong'), id: z.number().int().optional() });
export const ChatEntrySchema = z.object({
  participantSid: Sid,
  identity: z.string(),
  text: z.string(),
  /** Milliseconds since the epoch, on the server's clock. */
  at: z.number(),
});
export type ChatEntry = z.infer<typeof ChatEntrySchema>;
export const ChatMessageSchema = z.object({ type: z.literal('chat'), message: ChatEntrySchema });
export const ChatHistoryMessageSchema = z.object({
  type: z.literal('chatHistory'),
  messages: z.array(ChatEntrySchema),
});
export const RemoteTrackStateMessageSchema = z.object({
  type: z.literal('trackState'),
  participantSid: Sid,
  trackSid: Sid,
  enabled: z.boolean(),
});
export const TrackPublishedMessageSchema = z.object({
  type: z.literal('trackPublished'),
  participantSid: Sid,
  track: TrackInfoSchema,
});
export const TrackUnpublishedMessageSchema = z.object({
  type: z.literal('trackUnpublished'),
  participantSid: Sid,
  trackSid: Sid,
});
/**
 * The answer to a data track's publish: its SID. The client then opens a data channel labelled
 * with the track's name; the server opens one labelled with the SID to everyone else.
 */
export const DataTrackPublishedMessageSchema = z.object({
  type: z.literal('dataTrackPublished'),
  trackSid: Sid,
  name: z.string(),
});
/**
 * What the client's own links lost over the last couple of seconds, as the server counts it
 * (null: nothing to count): `up`, of what it sends, before retransmissions repaired it (its
 * browser sees only what stayed lost); `down`, of what the server sent it, not counting what
 * publishers' links lost (its browser cannot tell those apart).
 */
export const LinkLossMessageSchema = z.object({
  type: z.literal('linkLoss'),
  up: z.number().min(0).max(1).nullable(),
  down: z.number().min(0).max(1).nullable(),
});
export const RemoteNetworkQualityMessageSchema = z.object({
  type: z.literal('networkQuality'),
  participantSid: Sid,
  stats: NetworkQualityStatsSchema,
});
export const RemoteTrackPriorityMessageSchema = z.object({
  type: z.literal('trackPriority'),
  participantSid: Sid,
  trackSid: Sid,
  priority: TrackPrioritySchema,
});
export const DominantSpeakerMessageSchema = z.object({
  type: z.literal('dominantSpeaker'),
  participantSid: Sid.nullable(),
});

/** The server's ICE candidates (SDP candidate attributes without "a="), after the first answer. */
export const CandidatesMessageSchema = z.object({
  type: z.literal('candidates'),
  candidates: z.array(z.string().min(1).max(1024)).max(64),
});

/** The server's answer to a `publishOffer`, with all its ICE candidates. */
export const PublishAnswerMessageSchema = z.object({
  type: z.literal('publishAnswer'),
  mid: z.string().min(1).max(32),
  sdp: Sdp,
});

/**
 * The server stopped sending this client a video it subscribes to, and why: 'disabled-by-subscriber'
 * (it asked, or shows it nowhere), 'max-bandwidth-reached' (its link or its maxSubscriptionBitrate
 * cannot take even the video's lowest layer beside the ones ranked above it).
 */
export const SWITCH_OFF_REASONS = ['disabled-by-subscriber', 'max-bandwidth-reached'] as const;
export type SwitchOffReason = (typeof SWITCH_OFF_REASONS)[number];
export const TrackSwitchedOffMessageSchema = z.object({
  type: z.literal('trackSwitchedOff'),
  trackSid: Sid,
  reason: z.enum(SWITCH_OFF_REASONS),
});
/**
 * Which layers of the client's layered video on line `mid` someone receives: the client stops
 * encoding the others (its uplink and CPU are spared), and starts them again when told.
 */
export const LayersActiveMessageSchema = z.object({
  type: z.literal('layersActive'),
  mid: z.string().min(1).max(32),
  active: z.array(z.boolean()).min(1).max(3),
});
export const TrackSwitchedOnMessageSchema = z.object({ type: z.literal('trackSwitchedOn'), trackSid: Sid });

export const ServerMessageSchema = z.discriminatedUnion('type', [
  JoinedMessageSchema,
  OfferMessageSchema,
  ParticipantConnectedMessageSchema,
  ParticipantDisconnectedMessageSchema,
  ParticipantReconnectingMessageSchema,
  ParticipantReconnectedMessageSchema,
  ErrorMessageSchema,
  PongMessageSchema,
  ChatMessageSchema,
  ChatHistoryMessageSchema,
  RemoteTrackStateMessageSchema,
  TrackPublishedMessageSchema,
  TrackUnpublishedMessageSchema,
  DominantSpeakerMessageSchema,
  CandidatesMessageSchema,
  RemoteTrackPriorityMessageSchema,
  DataTrackPublishedMessageSchema,
  RemoteNetworkQualityMessageSchema,
  LinkLossMessageSchema,
  PublishAnswerMessageSchema,
  TrackSwitchedOffMessageSchema,
  TrackSwitchedOnMessageSchema,
  LayersActiveMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type JoinedMessage = z.infer<typeof JoinedMessageSchema>;
export type OfferMessage = z.infer<typeof OfferMessageSchema>;
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: ErrorCode; detail: string; ref?: string };

function parseWith<T>(schema: z.ZodType<T>, raw: string, maxBytes = MAX_MESSAGE_BYTES): ParseResult<T> {
  if (raw.length > maxBytes) return { ok: false, code: 'MESSAGE_TOO_LARGE', detail: `over ${maxBytes} bytes` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'INVALID_JSON', detail: 'not valid JSON' };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const ref =
    typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string'
      ? String((data as { type: string }).type).slice(0, 32)
      : undefined;
  const issue = result.error.issues[0];
  const detail = issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid';
  return { ok: false, code: 'INVALID_MESSAGE', detail, ref };
}

export const parseClientMessage = (raw: string, maxBytes?: number) => parseWith(ClientMessageSchema, raw, maxBytes);
export const parseServerMessage = (raw: string) => parseWith(ServerMessageSchema, raw);
