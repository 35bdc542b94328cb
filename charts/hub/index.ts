import { App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import type { Fleet } from '../../model/types';
import { ZtpChart } from '../common/chart';
import { HubWave, setWave } from '../common/waves';
import { AssistedService } from './assisted-service';
import { RhcosHttpd } from './httpd';
import { Multicluster } from './mce';
import { Disconnect, Mirror } from './mirror';
import { hubRegistry, HubNamespace } from './names';
import { Preflight } from './preflight';
import { HubRegistryStack } from './registry';
import { ReleaseImageSet } from './release';
import { HubStorage } from './storage';
import { RegistryTrust } from './trust';

/**
 * The hub factory bundle, rendered into `dist/hub/` as ONE Argo CD application: the bring-up is a single ordered
 * sync (waves in charts/common/waves.ts `HubWave`), which separate apps could not order against each other.
 */
export class HubChart extends ZtpChart {
  constructor(scope: App, fleet: Fleet) {
    super(scope, 'hub', { outputDir: 'hub' });
    const { config } = fleet;
    setWave(new k8s.KubeNamespace(this, 'JobsNamespace', { metadata: { name: HubNamespace.JOBS } }), HubWave.NAMESPACE);
    new Preflight(this, 'preflight', { config, clusters: fleet.clusters });
    if (config.hubLvms) new HubStorage(this, 'storage', { config });
    const httpd = new RhcosHttpd(this, 'httpd', { config });
    if (config.disconnected) {
      const registry = hubRegistry(config);
      new HubRegistryStack(this, 'registry', { config, registry });
      new RegistryTrust(this, 'trust', { config, registry });
      new Mirror(this, 'mirror', { fleet, registry });
      new Disconnect(this, 'disconnect', { fleet, registry });
    }
    new Multicluster(this, 'mce', { config });
    new AssistedService(this, 'assisted', { config, rhcosBaseUrl: httpd.baseUrl, mirrorRef: config.disconnected });
    new ReleaseImageSet(this, 'release', { config });
  }
}

export function hubFamily(app: App, fleet: Fleet): void {
  new HubChart(app, fleet);
}
