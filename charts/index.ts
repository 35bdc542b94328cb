/**
 * The chart families that make up `dist/`. `main.ts` calls each of them once per synth; a family never imports
 * another family.
 */
import { App } from 'cdk8s';
import type { Fleet } from '../model/types';
import { argocdFamily } from './argocd';
import { deliversDay2 } from './common/lifecycle';
import { deliveryFamily } from './delivery';
import { disconnectedFamily } from './disconnected';
import { edgeMirrorFamily } from './edge-mirror';
import { gpuFamily } from './gpu';
import { hubFamily } from './hub';
import { installFamily } from './install';
import { lifecycleFamily } from './lifecycle';
import { metallbFamily } from './metallb';
import { nmstateFamily } from './nmstate';
import { registryFamily } from './registry';
import { storageFamily } from './storage';
import { uiFamily } from './ui';

export type ChartFamily = (app: App, fleet: Fleet) => void;

/** Families that render for every cluster, whatever its lifecycle state. */
export const FAMILIES: readonly ChartFamily[] = [hubFamily, installFamily, lifecycleFamily, deliveryFamily];

/**
 * Day-2 families (bundles and their delivery). They see only the clusters whose state is `configure` or
 * `standalone` (see `day2Fleet`), so a cluster being installed gets no day-2 objects yet and a detached one has them pruned
 * (Policies and ManifestWorks leave their objects on the edge). A day-2 bundle family (one `clusters/<c>/<bundle>`
 * chart per cluster) belongs here. The delivery family needs the whole fleet for its fleet-wide namespace and gates
 * its per-cluster Placements itself (`deliversDay2`), so it is in FAMILIES.
 */
export const DAY2_FAMILIES: readonly ChartFamily[] = [
  storageFamily, nmstateFamily, metallbFamily, disconnectedFamily, registryFamily, edgeMirrorFamily, uiFamily, gpuFamily,
];

/**
 * Families that read what the others rendered (the Argo CD bootstrap derives its project whitelists from it);
 * called last.
 */
export const LAST_FAMILIES: readonly ChartFamily[] = [argocdFamily];

/** The fleet as day-2 families see it: only clusters the hub configures (`configure`, `standalone`). */
export function day2Fleet(fleet: Fleet): Fleet {
  return { ...fleet, clusters: fleet.clusters.filter(deliversDay2) };
}
