/**
 * The chart families that make up `dist/`. `main.ts` calls each of them once per synth; a family never imports
 * another family.
 */
import { App } from 'cdk8s';
import type { Fleet } from '../model/types';
import { deliveryFamily } from './delivery';
import { disconnectedFamily } from './disconnected';
import { gpuFamily } from './gpu';
import { hubFamily } from './hub';
import { installFamily } from './install';
import { metallbFamily } from './metallb';
import { nmstateFamily } from './nmstate';
import { registryFamily } from './registry';
import { storageFamily } from './storage';
import { uiFamily } from './ui';

export type ChartFamily = (app: App, fleet: Fleet) => void;

export const FAMILIES: readonly ChartFamily[] = [
  hubFamily, installFamily, deliveryFamily, storageFamily, nmstateFamily, metallbFamily, disconnectedFamily, registryFamily, uiFamily,
  gpuFamily,
];
