/** Polling and waiting times; a test harness may shorten them through `window.ZTPFW_UI_TIMING`. */
import type { RunOptions } from './finish.js';

export function timing(): RunOptions {
  const w = window as unknown as { ZTPFW_UI_TIMING?: RunOptions };
  return { pollMs: 2000, timeoutMs: 30 * 60_000, graceMs: 45_000, ...(w.ZTPFW_UI_TIMING ?? {}) };
}
