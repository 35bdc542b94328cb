import { Construct } from 'constructs';
import type { EdgeCluster, FleetConfig } from '../../model/types';
import { HubWave } from '../common/waves';
import { HubJob } from './job';
import { hubRegistry, HubNamespace, REGISTRY_CREDENTIALS_SECRET } from './names';

export interface PreflightProps {
  readonly config: FleetConfig;
  readonly clusters: readonly Pick<EdgeCluster, 'name' | 'fips'>[];
}

export class Preflight extends Construct {
  constructor(scope: Construct, id: string, props: PreflightProps) {
    super(scope, id);
    const { config } = props;
    const registry = config.disconnected ? hubRegistry(config) : undefined;
    new HubJob(this, 'Job', {
      config,
      name: 'preflight',
      namespace: HubNamespace.JOBS,
      wave: HubWave.PREFLIGHT,
      main: { name: 'preflight', image: 'tools', script: 'preflight.sh' },
      deadlineSeconds: 1200,
      backoffLimit: 1,
      env: {
        EXPECTED_APPS_DOMAIN: config.hubAppsDomain,
        REGISTRY_MODE: registry?.mode ?? 'none',
        REGISTRY_HOST: registry?.host ?? '',
        STORAGE_CLASS: config.hubStorageClass ?? '',
        HUB_LVMS: String(config.hubLvms),
        CO_ATTEMPTS: '30',
        OCP_VERSION: config.ocpVersion,
        // Whether any cluster installs in FIPS mode, not which: the hub must not change when a cluster is added.
        ANY_CLUSTER_FIPS: String(props.clusters.some((c) => c.fips)),
      },
      rules: [
        { apiGroup: '', resources: ['nodes'], verbs: ['list'] },
        { apiGroup: 'config.openshift.io', resources: ['clusteroperators'], verbs: ['list'] },
        { apiGroup: 'config.openshift.io', resources: ['clusterversions'], verbs: ['get'], resourceNames: ['version'] },
        { apiGroup: 'config.openshift.io', resources: ['ingresses'], verbs: ['get'], resourceNames: ['cluster'] },
        { apiGroup: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'], verbs: ['get'], resourceNames: ['provisionings.metal3.io'] },
        { apiGroup: 'config.openshift.io', resources: ['infrastructures'], verbs: ['get'], resourceNames: ['cluster'] },
        { apiGroup: 'metal3.io', resources: ['provisionings'], verbs: ['get'], resourceNames: ['provisioning-configuration'] },
        { apiGroup: 'storage.k8s.io', resources: ['storageclasses'], verbs: ['get', 'list'] },
        // The registry namespace only exists on a disconnected hub.
        ...(registry ? [{ namespace: HubNamespace.REGISTRY, apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: [REGISTRY_CREDENTIALS_SECRET] }] : []),
      ],
    });
  }
}
