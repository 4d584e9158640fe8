import { currentBackend } from './registry.js';
import { tf } from './tfjs.js';

/**
 * Whether reading a tensor on the current backend is synchronous and cheap (the data is in host memory: cpu,
 * wasm, native). False for GPU backends (webgpu), whose reads are asynchronous: a training loop there should
 * read its results a step behind, and code that needs values must `await tensor.data()`. Answered by the
 * plugin's {@link BackendPlugin.readsSynchronously}; true when tfjs's current backend is not the plugin's.
 * @public
 */
export function readsSynchronously(): boolean {
  const plugin = currentBackend();
  if (plugin.name !== tf.getBackend()) return true;
  return plugin.readsSynchronously !== false;
}
