import type { NetworkQualityStats } from '../protocol/network-quality.js';
import { ParticipantEvent } from './events.js';
import { type EventMap, TypedEmitter } from './typed-emitter.js';

export type ParticipantState = 'connected' | 'reconnecting' | 'disconnected';

/**
 * The events every participant has, whatever else its kind adds. Method signatures, so that a
 * subclass's listener of its own class (`(participant: LocalParticipant) => void`) fits.
 */
interface CommonEvents {
  networkQualityLevelChanged(level: number, stats: NetworkQualityStats): void;
  reconnecting(participant: object): void;
  reconnected(participant: object): void;
  disconnected(participant: object): void;
}

/**
 * twilio-video's Participant, what the local and the remote ones share: who it is, its
 * connection's state and its network quality, with the events they raise.
 */
export abstract class Participant<Events extends EventMap<Events> & CommonEvents> extends TypedEmitter<Events> {
  /** 'reconnecting' while the connection is being resumed; 'disconnected' once it ended. */
  state: ParticipantState = 'connected';
  /** Network quality, 0 to 5, once measured and asked for (connect's `networkQuality`); else null. */
  networkQualityLevel: number | null = null;
  networkQualityStats: NetworkQualityStats | null = null;

  protected constructor(
    public sid: string,
    readonly identity: string,
  ) {
    super();
  }

  /** The events every participant has, emitted without knowing the subclass's whole map. */
  private get common(): TypedEmitter<CommonEvents> {
    return this as unknown as TypedEmitter<CommonEvents>;
  }

  /** @internal the stats at the verbosity this page asked for (null: none). */
  _setNetworkQuality(stats: NetworkQualityStats | null): void {
    const changed = (stats?.level ?? null) !== this.networkQualityLevel;
    this.networkQualityLevel = stats?.level ?? null;
    this.networkQualityStats = stats;
    if (changed && stats) this.common.emit(ParticipantEvent.NetworkQualityLevelChanged, stats.level, stats);
  }

  /** @internal its connection's news; true when the state changed (a disconnected participant stays so). */
  _setState(state: ParticipantState): boolean {
    if (state === this.state || this.state === 'disconnected') return false;
    this.state = state;
    const event = {
      connected: ParticipantEvent.Reconnected,
      reconnecting: ParticipantEvent.Reconnecting,
      disconnected: ParticipantEvent.Disconnected,
    } as const;
    this.common.emit(event[state], this);
    return true;
  }
}
