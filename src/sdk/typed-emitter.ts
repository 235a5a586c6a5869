/**
 * twilio-video's objects are Node EventEmitters (apps call `setMaxListeners`, `emit`,
 * `listenerCount`...), so Huddle's are too: the `events` package is Node's EventEmitter for
 * browsers, as twilio-video uses. This class adds the types of each object's events.
 */
import { EventEmitter } from 'events';
import { log } from './logger.js';

// biome-ignore lint/suspicious/noExplicitAny: listeners of every event signature must fit one constraint; each event's own type is checked at on/emit.
type Listener = (...args: any[]) => void;
/** Interfaces have no index signature, so the constraint is a mapped type over their own keys. */
export type EventMap<T> = { [K in keyof T]: Listener };
type Name<Events> = keyof Events & string;

export class TypedEmitter<Events extends EventMap<Events>> extends EventEmitter {
  override on<E extends Name<Events>>(event: E, listener: Events[E]): this {
    return super.on(event, listener);
  }

  override addListener<E extends Name<Events>>(event: E, listener: Events[E]): this {
    return super.addListener(event, listener);
  }

  override once<E extends Name<Events>>(event: E, listener: Events[E]): this {
    return super.once(event, listener);
  }

  override off<E extends Name<Events>>(event: E, listener: Events[E]): this {
    return super.off(event, listener);
  }

  override removeListener<E extends Name<Events>>(event: E, listener: Events[E]): this {
    return super.removeListener(event, listener);
  }

  /**
   * As Node's, except that a throwing listener does not stop the others, nor the SDK's own
   * bookkeeping that emitted the event: it is reported in the SDK's log.
   */
  override emit<E extends Name<Events>>(event: E, ...args: Parameters<Events[E]>): boolean {
    const listeners = this.rawListeners(event) as Listener[];
    for (const listener of listeners) {
      try {
        listener.apply(this, args);
      } catch (error) {
        log.error(`huddle: a '${event}' listener threw`, error);
      }
    }
    return listeners.length > 0;
  }
}
