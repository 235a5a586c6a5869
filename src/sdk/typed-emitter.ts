/** A minimal, typed event emitter: the browser has no EventEmitter, and DOM events lose the types. */
// biome-ignore lint/suspicious/noExplicitAny: listeners of every event signature must fit one constraint; each event's own type is checked at on/emit.
type Listener = (...args: any[]) => void;
/** Interfaces have no index signature, so the constraint is a mapped type over their own keys. */
export type EventMap<T> = { [K in keyof T]: Listener };

export class TypedEmitter<Events extends EventMap<Events>> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<E extends keyof Events>(event: E, listener: Events[E]): this {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return this;
  }

  once<E extends keyof Events>(event: E, listener: Events[E]): this {
    const wrapper = ((...args: Parameters<Events[E]>) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Events[E];
    return this.on(event, wrapper);
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  removeAllListeners(event?: keyof Events): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  /** A throwing listener must not stop the others (nor the SDK's own bookkeeping). */
  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        console.error(`huddle: a '${String(event)}' listener threw`, error);
      }
    }
    return true;
  }
}
