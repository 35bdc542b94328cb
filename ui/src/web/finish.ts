/**
 * "Finish setup" (and every Save in Settings): the chosen steps in order, each an idempotent backend call, then the
 * cluster's rollouts followed until they settle. Progress goes to `report` step by step; the first failure stops
 * the run with the step marked failed and the error kept for the page (a retry runs everything again: the steps
 * that were already applied change nothing).
 */
import { OPERATORS_AFTER } from '../server/names.js';
import type { CertificateChoice } from '../server/steps/domain.js';
import { api, ApiError, type Progress } from './api.js';

export type StepId = 'user' | 'addresses' | 'domain' | 'record' | 'reconcile';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface Plan {
  user?: { username: string; password: string };
  addresses?: { api: string; ingress: string };
  domain?: { domain: string; api?: CertificateChoice; ingress?: CertificateChoice };
  /** Record the finished initial setup (the wizard is not shown again). */
  record?: boolean;
}

export const STEP_TITLES: Record<StepId, string> = {
  user: 'Create the user',
  addresses: 'Set the API and ingress addresses',
  domain: 'Serve the new domain',
  record: 'Record the setup',
  reconcile: 'Wait for the cluster to reconcile',
};

export interface Report {
  (step: StepId, status: StepStatus, detail?: string): void;
}

export interface RunOptions {
  pollMs?: number;
  /** Give up waiting for the cluster after this long (the changes stay applied; the page says so). */
  timeoutMs?: number;
  /** An operator that never shows Progressing within this time is taken as settled when it is. */
  graceMs?: number;
}

export class StepFailed extends Error {
  constructor(readonly step: StepId, readonly cause: ApiError | Error) {
    super(cause.message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function stepsOf(plan: Plan): StepId[] {
  return [...(plan.user ? ['user' as const] : []), ...(plan.addresses ? ['addresses' as const] : []), ...(plan.domain ? ['domain' as const] : []), ...(plan.record ? ['record' as const] : []), 'reconcile'];
}

/** What is still outstanding in a progress answer, as sentences (empty = settled). */
export function outstanding(p: Progress, wantAddresses: Plan['addresses'], seenProgressing: Set<string>, graceOver: boolean): string[] {
  const out: string[] = [];
  for (const o of p.operators) {
    if (o.degraded) out.push(`${o.name} is degraded${o.message ? `: ${o.message}` : ''}`);
    else if (!o.available || o.progressing) out.push(`${o.name} is rolling out${o.message ? `: ${o.message}` : ''}`);
    else if (!seenProgressing.has(o.name) && !graceOver) out.push(`${o.name} has not started rolling out yet`);
  }
  if (wantAddresses) {
    for (const k of ['api', 'ingress'] as const) {
      const s = p.addresses[k];
      if (s.assigned !== wantAddresses[k]) out.push(`MetalLB has not assigned ${wantAddresses[k]} to the ${k === 'api' ? 'API' : 'ingress'} yet${s.assigned ? ` (still ${s.assigned})` : ''}`);
    }
  }
  return out;
}

export async function runPlan(plan: Plan, report: Report, opts: RunOptions = {}): Promise<{ redirect?: string }> {
  const pollMs = opts.pollMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const graceMs = opts.graceMs ?? 45_000;
  const operators = new Set<string>();
  let redirect: string | undefined;
  const step = async <T>(id: StepId, fn: () => Promise<T>): Promise<T> => {
    report(id, 'running');
    try {
      const r = await fn();
      report(id, 'done');
      return r;
    } catch (e) {
      report(id, 'failed', (e as Error).message);
      throw new StepFailed(id, e as Error);
    }
  };
  if (plan.user) {
    const r = await step('user', () => api.user(plan.user!.username, plan.user!.password));
    if (r.changed.length) OPERATORS_AFTER.identity.forEach((o) => operators.add(o));
  }
  if (plan.addresses) {
    await step('addresses', () => api.addresses(plan.addresses!));
  }
  if (plan.domain) {
    const r = await step('domain', () => api.domain(plan.domain!));
    redirect = r.redirect;
    if (r.changed.length) OPERATORS_AFTER.domain.forEach((o) => operators.add(o));
  }
  if (plan.record) await step('record', () => api.complete());
  await step('reconcile', async () => {
    const started = Date.now();
    const seen = new Set<string>();
    for (;;) {
      const p = await api.progress([...operators]);
      p.operators.filter((o) => o.progressing).forEach((o) => seen.add(o.name));
      const left = outstanding(p, plan.addresses, seen, Date.now() - started > graceMs);
      if (!left.length) return;
      report('reconcile', 'running', left.join('; '));
      if (Date.now() - started > timeoutMs) {
        throw new Error(`The changes are applied, but the cluster has not settled after ${Math.round(timeoutMs / 60_000)} minutes: ${left.join('; ')}. Check the cluster operators, then come back to this page.`);
      }
      await sleep(pollMs);
    }
  });
  return { redirect };
}
