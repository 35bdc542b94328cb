import { App } from 'cdk8s';
import type { Fleet } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { ReleaseImageSet } from './release';

/** The hub factory bundle, rendered into `dist/hub/`. */
export class HubChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet) {
    super(scope, 'hub', { outputDir: 'hub' });
    new ReleaseImageSet(this, 'release', { config: fleet.config });
  }
}

export function hubFamily(app: App, fleet: Fleet): void {
  new HubChart(app, fleet);
}
