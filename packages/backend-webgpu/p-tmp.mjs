import { webgpuBackend } from '@nutshell/backend-webgpu';
const t0 = Date.now();
console.log(JSON.stringify(await webgpuBackend.probe(), null, 1), Date.now() - t0, 'ms');
