import { tf } from './tfjs.js';

/**
 * Runs synchronous `fn` as if no gradient were being recorded, even inside `tf.grad`/`variableGrads`: its ops
 * are not put on the tape, and its intermediates are not kept alive for a backward pass. For work that is not
 * part of the model (measuring, logging). tfjs has no public switch for this, so the engine's tape state is set
 * aside and restored here, at the seam, and nowhere else.
 * @public
 */
export function withoutGradientTape<T>(fn: () => T): T {
  const state = tf.engine().state;
  const saved = { depth: state.gradientDepth, tape: state.activeTape };
  state.gradientDepth = 0;
  state.activeTape = null as unknown as typeof state.activeTape;
  try {
    return fn();
  } finally {
    state.gradientDepth = saved.depth;
    state.activeTape = saved.tape;
  }
}
