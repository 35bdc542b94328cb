import { ApiObject, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as olm from '../../imports/olm';
import * as ocpconfig from '../../imports/openshift-config';
import type { Fleet } from '../../model/types';
import { OC_MIRROR } from '../../model/versions';
import { allImages } from '../common/images';
import { CATALOGS, CatalogKey, imageSetOperators, MARKETPLACE_NAMESPACE, mirrorPackages } from '../common/operators';
import { HubWave, setWave } from '../common/waves';
import { clusterSingleton } from '../common/argocd';
import { HubJob } from './job';
import { mirroredIndex, mirrorEntries } from '../common/mirror';
import { HubNamespace, HubRegistry, REGISTRY_CA_CONFIGMAP } from './names';

/** The oc-mirror (v1) ImageSetConfiguration of the fleet: the release pinned, the enabled bundles' operators, our images. */
export function imageSetConfiguration(fleet: Pick<Fleet, 'config' | 'clusters'>, registry: HubRegistry): Record<string, unknown> {
  const { config } = fleet;
  const operators = imageSetOperators(config, mirrorPackages(fleet));
  return {
    apiVersion: 'mirror.openshift.io/v1alpha2',
    kind: 'ImageSetConfiguration',
    storageConfig: { registry: { imageURL: `${registry.address}/oc-mirror/metadata`, skipTLS: false } },
    mirror: {
      platform: {
        architectures: ['amd64'],
        // min = max: exactly the fleet's release, not every later z-stream.
        channels: [{ name: `stable-${config.ocpMinor}`, type: 'ocp', minVersion: config.ocpVersion, maxVersion: config.ocpVersion }],
        graph: false,
      },
      operators,
      additionalImages: allImages(config).map((name) => ({ name })),
    },
  };
}

export interface MirrorProps {
  readonly fleet: Pick<Fleet, 'config' | 'clusters'>;
  readonly registry: HubRegistry;
}

/** PVC of the oc-mirror workspace (`OC_MIRROR_WORKSPACE_SIZE`). */
export const OC_MIRROR_WORKSPACE_CLAIM = 'oc-mirror-workspace';
/** ConfigMap the oc-mirror Job writes when a mirror completed: `hash` = sha256 of the ImageSetConfiguration it mirrored. */
export const OC_MIRROR_MARKER = 'oc-mirror-complete';

/** The oc-mirror Job and its ImageSetConfiguration. */
export class Mirror extends Construct {
  constructor(scope: Construct, id: string, props: MirrorProps) {
    super(scope, id);
    const { fleet, registry } = props;
    const ns = HubNamespace.JOBS;
    setWave(new k8s.KubeConfigMap(this, 'ImageSet', {
      metadata: { name: 'imageset-config', namespace: ns },
      data: { 'imageset-config.yaml': Yaml.stringify(imageSetConfiguration(fleet, registry)) },
    }), HubWave.CONFIG);

    // The workspace on a PVC of its own size: an emptyDir would fill the node's disk and get the pod evicted. In the
    // Job's wave: a WaitForFirstConsumer claim (LVMS) only binds once the pod is scheduled.
    const workspace = new k8s.KubePersistentVolumeClaim(this, 'Workspace', {
      metadata: { name: OC_MIRROR_WORKSPACE_CLAIM, namespace: ns },
      spec: {
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        ...(fleet.config.hubStorageClass ? { storageClassName: fleet.config.hubStorageClass } : {}),
        resources: { requests: { storage: k8s.Quantity.fromString(fleet.config.ocMirrorWorkspaceSize) } },
      },
    });
    setWave(workspace, HubWave.MIRROR);

    // prepare (credentials, CA, has this very ImageSetConfiguration been mirrored?) → mirror (skipped if so) →
    // record (the completed marker): a retried sync re-runs the Job, but not a finished mirror.
    new HubJob(this, 'Job', {
      config: fleet.config,
      name: 'oc-mirror',
      namespace: ns,
      wave: HubWave.MIRROR,
      init: [
        { name: 'prepare', image: 'tools', script: 'oc-mirror-prepare.sh' },
        // Requests sized for rendering operator catalogs in memory, not a limit: the pod may use what the node has.
        { name: 'mirror', image: 'ocMirror', script: 'oc-mirror.sh', requests: { cpu: '1', memory: '2Gi' } },
      ],
      main: { name: 'record', image: 'tools', script: 'oc-mirror-record.sh' },
      env: {
        MIRROR_REGISTRY: registry.address, REGISTRY_KEY: registry.caKey, CA_SOURCE: registry.caSource, OC_MIRROR_FLAG: OC_MIRROR.hubFlag, MAX_ATTEMPTS: '3',
        MARKER_CONFIGMAP: OC_MIRROR_MARKER,
      },
      volumes: [
        { name: 'config', mountPath: '/config', configMap: 'imageset-config', readOnly: true },
        { name: 'auth', mountPath: '/auth', memory: true },
        { name: 'workspace', mountPath: '/workspace', claim: OC_MIRROR_WORKSPACE_CLAIM },
      ],
      deadlineSeconds: 4 * 3600,
      backoffLimit: 1,
      rules: [
        { namespace: HubNamespace.CONFIG, apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: ['pull-secret'] },
        { namespace: HubNamespace.CONFIG, apiGroup: '', resources: ['configmaps'], verbs: ['get'], resourceNames: [REGISTRY_CA_CONFIGMAP] },
        { namespace: ns, apiGroup: '', resources: ['configmaps'], verbs: ['get', 'patch'], resourceNames: [OC_MIRROR_MARKER] },
        { namespace: ns, apiGroup: '', resources: ['configmaps'], verbs: ['create'] },
      ],
    });
  }
}

export interface DisconnectProps {
  readonly fleet: Pick<Fleet, 'config' | 'clusters'>;
  readonly registry: HubRegistry;
}

/**
 * Switches the hub to the mirror: mirror sets for every mirrored source, the default OperatorHub sources off and the
 * mirrored catalogs under the default names, so every Subscription keeps `source: redhat-operators`.
 */
export class Disconnect extends Construct {
  constructor(scope: Construct, id: string, props: DisconnectProps) {
    super(scope, id);
    const { fleet, registry } = props;
    const { config } = fleet;
    const entries = mirrorEntries(config, registry.address);
    const name = 'ztpfw-hub-mirror';
    // IDMS + ITMS: a disconnected fleet is on 4.13 or newer (the loader refuses ICSP-only minors).
    setWave(new ocpconfig.ImageDigestMirrorSet(this, 'Idms', {
      metadata: { name },
      spec: { imageDigestMirrors: entries.map((e) => ({ source: e.source, mirrors: [e.mirror] })) },
    }), HubWave.DISCONNECT);
    setWave(new ocpconfig.ImageTagMirrorSet(this, 'Itms', {
      metadata: { name },
      spec: { imageTagMirrors: entries.filter((e) => !e.digestOnly).map((e) => ({ source: e.source, mirrors: [e.mirror] })) },
    }), HubWave.DISCONNECT);

    const hub = new ApiObject(this, 'OperatorHub', {
      apiVersion: 'config.openshift.io/v1',
      kind: 'OperatorHub',
      metadata: { name: 'cluster' },
      spec: { disableAllDefaultSources: true },
    });
    setWave(hub, HubWave.DISCONNECT);
    clusterSingleton(hub);

    const catalogs = [...mirrorPackages(fleet).keys()].sort() as CatalogKey[];
    for (const key of catalogs) {
      const cat = CATALOGS[key];
      const index = mirroredIndex(config, key, registry.address);
      setWave(new olm.CatalogSource(this, `Catalog-${key}`, {
        metadata: { name: cat.source, namespace: MARKETPLACE_NAMESPACE },
        spec: {
          sourceType: 'grpc',
          image: index,
          displayName: `${cat.source} (mirror ${registry.address})`,
          publisher: 'ztpfw',
          updateStrategy: { registryPoll: { interval: '30m' } },
        },
      }), HubWave.CATALOG);
    }
  }
}
