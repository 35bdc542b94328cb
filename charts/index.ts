/**
 * The chart families that make up `dist/`. `main.ts` calls each of them once per synth; a family never imports
 * another family.
 */
import { App } from 'cdk8s';
import type { Fleet } from '../model/types';
import { deliveryFamily } from './delivery';
import { hubFamily } from './hub';
import { installFamily } from './install';
import { metallbFamily } from './metallb';
import { nmstateFamily } from './nmstate';
import { storageFamily } from './storage';

export type ChartFamily = (app: App, fleet: Fleet) => void;

export const FAMILIES: readonly ChartFamily[] = [hubFamily, installFamily, deliveryFamily, storageFamily, nmstateFamily, metallbFamily];
