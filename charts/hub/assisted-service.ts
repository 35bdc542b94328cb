import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as ai from '../../imports/agent-install';
import type { FleetConfig } from '../../model/types';
import { DEFAULTS } from '../../model/defaults';
import { HubWave, setWave } from '../common/waves';
import { clusterSingleton, keepOnAppDeletion, skipDryRun } from '../common/argocd';
import { HubJob } from './job';
import { HubNamespace } from './names';

/** The metal3 Provisioning singleton (cluster-baremetal-operator `ProvisioningSingletonName`). */
export const PROVISIONING_NAME = 'provisioning-configuration';

export interface AssistedServiceProps {
  readonly config: FleetConfig;
  /** `http://<httpd>/<X.Y>/`, where the RHCOS live ISO and rootfs are served. */
  readonly rhcosBaseUrl: string;
  /** Name the `mirror-ref` ConfigMap (written by the registry trust Job). @default false */
  readonly mirrorRef?: boolean;
  /** @default { database: '10Gi', filesystem: '100Gi', image: '50Gi' } */
  readonly storage?: { readonly database?: string; readonly filesystem?: string; readonly image?: string };
}

/** AgentServiceConfig (+ its ConfigMap) and the metal3 setting that lets BMAC see BareMetalHosts in every namespace. */
export class AssistedService extends Construct {
  constructor(scope: Construct, id: string, props: AssistedServiceProps) {
    super(scope, id);
    const { config } = props;
    const cm = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: 'assisted-service-config', namespace: HubNamespace.MCE, labels: { app: 'assisted-service' } },
      data: { LOG_LEVEL: 'info' },
    });
    setWave(cm, HubWave.ASSISTED);

    const claim = (size: string) => ({
      accessModes: ['ReadWriteOnce'],
      ...(config.hubStorageClass ? { storageClassName: config.hubStorageClass } : {}),
      resources: { requests: { storage: ai.AgentServiceConfigSpecDatabaseStorageResourcesRequests.fromString(size) } },
    });
    const asc = new ai.AgentServiceConfig(this, 'Resource', {
      metadata: {
        name: 'agent',
        annotations: { 'unsupported.agent-install.openshift.io/assisted-service-configmap': 'assisted-service-config' },
      },
      spec: {
        databaseStorage: claim(props.storage?.database ?? '10Gi'),
        filesystemStorage: claim(props.storage?.filesystem ?? '100Gi'),
        imageStorage: claim(props.storage?.image ?? '50Gi'),
        osImages: [{
          openshiftVersion: config.ocpMinor,
          // OC_RHCOS_RELEASE names the exact build; without it, the folder's version stands for it.
          version: config.rhcosRelease ?? config.rhcosImagesUrl.split('/').pop()!,
          url: `${props.rhcosBaseUrl}rhcos-live.${DEFAULTS.ARCHITECTURE}.iso`,
          rootFsUrl: `${props.rhcosBaseUrl}rhcos-live-rootfs.${DEFAULTS.ARCHITECTURE}.img`,
          cpuArchitecture: DEFAULTS.ARCHITECTURE,
        }],
        ...(props.mirrorRef ? { mirrorRegistryRef: { name: 'mirror-ref' } } : {}),
      },
    });
    setWave(asc, HubWave.ASSISTED);
    skipDryRun(asc);
    keepOnAppDeletion(asc);

    // A hub without a Provisioning (platform None from an assisted/agent-based install, vSphere, …) gets one with
    // provisioningNetwork Disabled before the rendered object below is applied; a bare-metal IPI hub keeps its own
    // (charts/hub/scripts/provisioning.sh). The pre-flight refuses platforms where metal3 does not run.
    new HubJob(this, 'ProvisioningJob', {
      config,
      name: 'provisioning',
      namespace: HubNamespace.JOBS,
      wave: HubWave.ASSISTED - 1,
      main: { name: 'provisioning', image: 'tools', script: 'provisioning.sh' },
      deadlineSeconds: 600,
      rules: [
        { apiGroup: 'metal3.io', resources: ['provisionings'], verbs: ['get', 'patch'], resourceNames: [PROVISIONING_NAME] },
        { apiGroup: 'metal3.io', resources: ['provisionings'], verbs: ['create'] },
      ],
    });

    // No pinned CRD for metal3 Provisioning: a plain ApiObject, applied server-side so only this field is ours.
    const provisioning = new ApiObject(this, 'Provisioning', {
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'Provisioning',
      metadata: { name: PROVISIONING_NAME },
      spec: { watchAllNamespaces: true },
    });
    setWave(provisioning, HubWave.ASSISTED);
    clusterSingleton(provisioning);
  }
}
