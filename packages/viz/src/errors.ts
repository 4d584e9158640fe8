import { NutshellError } from '@nutshell/tensor';

/**
 * A visualiser was given something it cannot draw: a layer without convolution kernels, an empty training history,
 * a value out of range. The message names the visualiser and what it expected.
 * @public
 */
export class VizError extends NutshellError {
  /** The visualiser that refused its input (e.g. `filterGrid`). */
  readonly visualizer: string;
  constructor(visualizer: string, message: string) {
    super(`${visualizer}: ${message}`);
    this.visualizer = visualizer;
  }
}
