/**
 * The `contrib:` extras a chart reads. `contrib` is kept verbatim in the model (unknown keys are the user's own);
 * the keys we act on are checked here, so a bad value is reported at its line instead of failing in a chart.
 */
import { describeValue } from './text';

/** `contrib.gpu-operator`: install NFD and the NVIDIA GPU operator. */
export interface GpuOperatorContrib {
  /** `X.Y` or `X.Y.Z` without the `v` (the input may write either). */
  readonly version?: string;
}

const GPU_VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/;

/**
 * Reads `contrib.gpu-operator`: absent → undefined; otherwise the parsed settings or an error message. `{}`/`null`
 * ask for the operator without a version (its `stable` channel).
 */
export function parseGpuOperator(contrib: Readonly<Record<string, unknown>>): { value?: GpuOperatorContrib; error?: { path: string[]; message: string } } {
  if (!('gpu-operator' in contrib)) return {};
  const raw = contrib['gpu-operator'];
  if (raw === null || raw === undefined) return { value: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { error: { path: ['gpu-operator'], message: `"gpu-operator" must be a map like {version: v23.9.1}, got ${describeValue(raw)}` } };
  }
  const extra = Object.keys(raw).filter((k) => k !== 'version');
  if (extra.length) return { error: { path: ['gpu-operator', extra[0]], message: `unknown key "${extra[0]}" in gpu-operator; allowed: version` } };
  const version = (raw as Record<string, unknown>).version;
  if (version === undefined || version === null) return { value: {} };
  const m = typeof version === 'string' ? GPU_VERSION.exec(version) : null;
  if (!m) {
    return { error: { path: ['gpu-operator', 'version'], message: `gpu-operator "version" must be a GPU operator release like "v23.9.1" or "v23.9" (quote it), got ${describeValue(version)}` } };
  }
  return { value: { version: m[3] === undefined ? `${m[1]}.${m[2]}` : `${m[1]}.${m[2]}.${m[3]}` } };
}

/** The GPU operator settings of a cluster, for charts (the loader has already rejected bad values). */
export function gpuOperatorOf(cluster: { readonly contrib: Readonly<Record<string, unknown>> }): GpuOperatorContrib | undefined {
  return parseGpuOperator(cluster.contrib).value;
}
