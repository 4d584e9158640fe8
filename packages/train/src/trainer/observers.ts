import type { Callback, TrainingContext } from '../callbacks/callback.js';
import type { TrainerEvent, TrainerEventOf } from './events.js';

type EventType = TrainerEvent['type'];

/** Each event type's Callback method: one typed table instead of method names built from strings. */
const CALLBACK_METHOD = {
  fitStart: 'onFitStart',
  epochStart: 'onEpochStart',
  batchStart: 'onBatchStart',
  batchEnd: 'onBatchEnd',
  epochEnd: 'onEpochEnd',
  checkpoint: 'onCheckpoint',
  warning: 'onWarning',
  fitEnd: 'onFitEnd',
} as const satisfies { [T in EventType]: keyof Callback };

type Handler<T extends EventType> = (event: TrainerEventOf<T>) => unknown;

/**
 * Who hears the Trainer's events: subscribers (`trainer.on(type, handler)`) first, in subscription order, then the
 * fit's callbacks in order, through the Callback method of the event's type. A returned promise is awaited
 * before training goes on.
 */
export class Observers {
  private readonly subscribers = new Map<EventType, Set<Handler<EventType>>>();

  /** Subscribes to an event type; returns a function that unsubscribes. */
  on<T extends EventType>(type: T, handler: Handler<T>): () => void {
    let set = this.subscribers.get(type);
    if (!set) this.subscribers.set(type, (set = new Set()));
    const h = handler as unknown as Handler<EventType>;
    set.add(h);
    return () => set.delete(h);
  }

  /**
   * Whether an event of `type` would reach anyone: a subscriber, or one of `callbacks` with that type's method.
   * The training loop asks before it builds a per-batch event, so that events nobody hears cost nothing.
   */
  listening(type: EventType, callbacks: readonly Callback[]): boolean {
    if (this.subscribers.get(type)?.size) return true;
    const method = CALLBACK_METHOD[type];
    for (let i = 0; i < callbacks.length; i++) if (typeof callbacks[i][method] === 'function') return true;
    return false;
  }

  /** Tells every subscriber, then every callback, about `event`. */
  async emit(event: TrainerEvent, callbacks: readonly Callback[], ctx: TrainingContext): Promise<void> {
    for (const h of this.subscribers.get(event.type) ?? []) {
      const r = h(event);
      if (r instanceof Promise) await r;
    }
    const method = CALLBACK_METHOD[event.type];
    for (const cb of callbacks) {
      const f = cb[method] as ((e: TrainerEvent, ctx: TrainingContext) => void | Promise<void>) | undefined;
      if (typeof f === 'function') await f.call(cb, event, ctx);
    }
  }
}
