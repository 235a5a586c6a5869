/** The server's check of a client's network quality report (the shape is network-quality.ts'). */
import { z } from 'zod';
import type { NetworkQualityStats } from './network-quality.js';

const Level = z.number().int().min(0).max(5);
const Figure = z.number().min(0).max(1e10).nullable();

const SendOrRecvStatsSchema = z.object({
  bandwidth: z.object({ actual: Figure, available: Figure, level: Level.nullable() }).nullable(),
  latency: z.object({ jitter: Figure, rtt: Figure, level: Level.nullable() }).nullable(),
  fractionLost: z.object({ fractionLost: Figure, level: Level.nullable() }).nullable(),
});
const MediaStatsSchema = z.object({
  send: Level,
  recv: Level,
  sendStats: SendOrRecvStatsSchema.nullable(),
  recvStats: SendOrRecvStatsSchema.nullable(),
});

export const NetworkQualityStatsSchema: z.ZodType<NetworkQualityStats> = z.object({
  level: Level,
  audio: MediaStatsSchema.nullable(),
  video: MediaStatsSchema.nullable(),
});
