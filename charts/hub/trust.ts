import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import type { FleetConfig } from '../../model/types';
import { HubWave, setWave } from '../common/waves';
import { clusterSingleton } from '../common/argocd';
import { HubJob } from './job';
import { registriesConf, mirrorEntries } from '../common/mirror';
import { HubNamespace, HubRegistry, REGISTRY_CA_CONFIGMAP, REGISTRY_CREDENTIALS_SECRET } from './names';
import { COMMON_SCRIPTS_DIR, MERGE_PULL_SECRET_SCRIPT } from '../common/scripts';

export interface RegistryTrustProps {
  readonly config: FleetConfig;
  readonly registry: HubRegistry;
}

/**
 * Trust in the mirror registry: a Job that reads the CA where it lives (hub ingress CA, or the REGISTRY_CA of the
 * config) and writes the one trusted-CA ConfigMap and the Assisted Service `mirror-ref`; `image.config` names the
 * ConfigMap, which the cluster distributes to CRI-O on every node without draining or rebooting it (openshift/enhancements
 * `enhancements/machine-config/certificate-authorities-for-image-registries.md`). No MachineConfig: the MCO would
 * drain and reboot every hub node in the middle of the sync (an SNO hub, Argo CD included, goes down).
 * Then a Job merges the registry credentials into the global pull secret (a pull secret change needs no reboot).
 */
export class RegistryTrust extends Construct {
  constructor(scope: Construct, id: string, props: RegistryTrustProps) {
    super(scope, id);
    const { config, registry } = props;
    const jobsNs = HubNamespace.JOBS;

    setWave(new k8s.KubeConfigMap(this, 'RegistriesConf', {
      metadata: { name: 'mirror-registries', namespace: jobsNs },
      data: { 'registries.conf': registriesConf(mirrorEntries(config, registry.address)) },
    }), HubWave.CONFIG);
    const volumes = [{ name: 'config', mountPath: '/config', configMap: 'mirror-registries', readOnly: true }];
    if (registry.caSource === 'file') {
      // The CA of a custom registry is public material: it may live in git.
      setWave(new k8s.KubeConfigMap(this, 'ProvidedCa', {
        metadata: { name: 'registry-ca', namespace: jobsNs },
        data: { 'ca.crt': config.registryCa! },
      }), HubWave.CONFIG);
      volumes.push({ name: 'ca', mountPath: '/ca', configMap: 'registry-ca', readOnly: true });
    }

    new HubJob(this, 'Trust', {
      config,
      name: 'registry-trust',
      namespace: jobsNs,
      wave: HubWave.CONTENT,
      main: { name: 'trust', image: 'tools', script: 'registry-trust.sh' },
      env: { CA_SOURCE: registry.caSource, REGISTRY_KEY: registry.caKey },
      volumes,
      deadlineSeconds: 600,
      rules: [
        { namespace: 'openshift-config-managed', apiGroup: '', resources: ['configmaps'], verbs: ['get'], resourceNames: ['default-ingress-cert'] },
        { namespace: HubNamespace.CONFIG, apiGroup: '', resources: ['configmaps'], verbs: ['get', 'patch'], resourceNames: [REGISTRY_CA_CONFIGMAP] },
        { namespace: HubNamespace.CONFIG, apiGroup: '', resources: ['configmaps'], verbs: ['create'] },
        { namespace: HubNamespace.MCE, apiGroup: '', resources: ['configmaps'], verbs: ['get', 'patch'], resourceNames: ['mirror-ref'] },
        { namespace: HubNamespace.MCE, apiGroup: '', resources: ['configmaps'], verbs: ['create'] },
      ],
    });

    if (registry.caSource !== 'none') {
      const image = new ApiObject(this, 'ImageConfig', {
        apiVersion: 'config.openshift.io/v1',
        kind: 'Image',
        metadata: { name: 'cluster' },
        spec: { additionalTrustedCA: { name: REGISTRY_CA_CONFIGMAP } },
      });
      setWave(image, HubWave.DISCONNECT);
      clusterSingleton(image);
    }

    new HubJob(this, 'PullSecret', {
      config,
      name: 'pull-secret',
      namespace: jobsNs,
      wave: HubWave.PULL_SECRET,
      main: { name: 'merge', image: 'tools', script: MERGE_PULL_SECRET_SCRIPT, scriptsDir: COMMON_SCRIPTS_DIR },
      env: { SECRET_NAMESPACE: HubNamespace.CONFIG, SECRET_NAME: 'pull-secret', REGISTRY_AUTH_KEY: registry.address },
      deadlineSeconds: 600,
      rules: [
        { namespace: HubNamespace.REGISTRY, apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: [REGISTRY_CREDENTIALS_SECRET] },
        { namespace: HubNamespace.CONFIG, apiGroup: '', resources: ['secrets'], verbs: ['get', 'patch'], resourceNames: ['pull-secret'] },
      ],
    });
  }
}
