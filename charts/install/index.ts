/**
 * Install family: for every edge cluster, everything the hub (MCE + Assisted Installer, optionally ACM) needs to
 * install it, in `dist/clusters/<cluster>/`. Secrets are referenced by name only; `ztpfw secrets` brings their
 * material to the hub out of band.
 */
import { ApiObject, App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as aiv1 from '../../imports/agent-install';
import * as hive from '../../imports/hive';
import * as hivext from '../../imports/hive-extensions';
import * as metal3 from '../../imports/metal3';
import * as ocmAgent from '../../imports/ocm-agent';
import * as ocm from '../../imports/ocm-cluster';
import type { EdgeCluster, EdgeNode, Fleet, FleetConfig } from '../../model/types';
import { keepOnAppDeletion } from '../common/argocd';
import { ZtpChart } from '../common/chart';
import { DETACHED_ANNOTATION, DETACHED_VALUE, registeredWithHub, REMOVE_AGENT_AND_NODE_ANNOTATION } from '../common/lifecycle';
import { BMAC_NODE_LABEL_PREFIX, storageNodeLabels } from '../common/storage-nodes';
import { setWave, Wave } from '../common/waves';
import { extraManifests } from './extra-manifests';
import { discoveryIgnition, hostIgnition } from './ignition';
import { MirrorPullSecret } from './mirror-pull-secret';
import { nodeNetwork } from './nmstate';

/** Label that ties NMStateConfigs to the InfraEnv of their cluster (SiteConfig's key). */
export const NMSTATE_LABEL = 'nmstate-label';
/** Label BMAC reads to attach a BareMetalHost to an InfraEnv. */
export const INFRAENV_LABEL = 'infraenvs.agent-install.openshift.io';
/** ClusterDeployment agent selector key; the InfraEnv stamps it on every agent it boots. */
export const AGENT_CLUSTER_LABEL = 'cluster-name';
/** BMAC annotations of a BareMetalHost. */
export const BMAC = {
  HOSTNAME: 'bmac.agent-install.openshift.io/hostname',
  ROLE: 'bmac.agent-install.openshift.io/role',
  IGNITION: 'bmac.agent-install.openshift.io/ignition-config-overrides',
} as const;
/** ACI annotation whose JSON is merged into the generated install-config. */
export const INSTALL_CONFIG_OVERRIDES = 'agent-install.openshift.io/install-config-overrides';
/** ManagedCluster labels that placements of the fleet select on. */
export const CLUSTER_LABELS = {
  NAME: 'name',
  FLEET: 'ztpfw',
  TOPOLOGY: 'ztpfw.io/topology',
} as const;

const [ACI_GROUP, ACI_VERSION] = hivext.AgentClusterInstall.GVK.apiVersion.split('/');

export interface EdgeClusterInstallProps {
  readonly cluster: EdgeCluster;
  readonly config: FleetConfig;
}

/** One edge cluster's install manifests, in `clusters/<cluster>`. */
export class EdgeClusterInstallChart extends ZtpChart {
  constructor(scope: App, props: EdgeClusterInstallProps) {
    const { cluster, config } = props;
    super(scope, `install-${cluster.name}`, { outputDir: `clusters/${cluster.name}` });
    const name = cluster.name;
    const masters = cluster.nodes.filter((n) => n.role === 'master');
    const workers = cluster.nodes.filter((n) => n.role === 'worker');

    const ns = new k8s.KubeNamespace(this, 'namespace', { metadata: { name, labels: { name } } });
    setWave(ns, Wave.NAMESPACE);

    const manifests = new k8s.KubeConfigMap(this, 'extra-manifests', {
      metadata: { name: cluster.extraManifestsName, namespace: name },
      data: extraManifests(cluster),
    });
    setWave(manifests, Wave.CONFIG);

    const aci = new hivext.AgentClusterInstall(this, 'agent-cluster-install', {
      metadata: {
        name,
        namespace: name,
        // The ACI has no FIPS field: FIPS reaches install-config through assisted-service's overrides annotation.
        annotations: cluster.fips ? { [INSTALL_CONFIG_OVERRIDES]: JSON.stringify({ fips: true }) } : undefined,
      },
      spec: {
        clusterDeploymentRef: { name },
        imageSetRef: { name: config.clusterImageSet },
        manifestsConfigMapRef: { name: cluster.extraManifestsName },
        ...(cluster.topology === 'sno' ? {} : { apiViPs: [cluster.apiVip], ingressViPs: [cluster.ingressVip] }),
        // Storage (LVMS/ODF) uses the masters' disks, so masters take workloads in every topology.
        mastersSchedulable: cluster.topology === 'sno' ? undefined : true,
        networking: {
          networkType: hivext.AgentClusterInstallSpecNetworkingNetworkType.OVN_KUBERNETES,
          machineNetwork: [{ cidr: cluster.internalNetwork }],
          clusterNetwork: [{ cidr: cluster.clusterNetwork, hostPrefix: cluster.clusterNetworkHostPrefix }],
          serviceNetwork: [cluster.serviceNetwork],
        },
        provisionRequirements: {
          controlPlaneAgents: masters.length,
          // Workers join day-1: assisted-service installs them with the control plane (the original's day-2 step
          // needed a second pipeline run and extra waits for the same result).
          ...(workers.length > 0 ? { workerAgents: workers.length } : {}),
        },
        diskEncryption: cluster.tpm
          ? { mode: hivext.AgentClusterInstallSpecDiskEncryptionMode.TPMV2, enableOn: hivext.AgentClusterInstallSpecDiskEncryptionEnableOn.ALL }
          : undefined,
        sshPublicKey: cluster.sshPublicKey,
      },
    });
    setWave(aci, Wave.INSTALL);

    const cd = new hive.ClusterDeployment(this, 'cluster-deployment', {
      metadata: { name, namespace: name },
      spec: {
        baseDomain: config.baseDomain,
        clusterName: name,
        clusterInstallRef: { group: ACI_GROUP, version: ACI_VERSION, kind: hivext.AgentClusterInstall.GVK.kind, name },
        controlPlaneConfig: { servingCertificates: {} },
        platform: { agentBareMetal: { agentSelector: { matchLabels: { [AGENT_CLUSTER_LABEL]: name } } } },
        pullSecretRef: { name: cluster.pullSecretName },
        // Detached: hive lets go of the cluster without deprovisioning it when the ClusterDeployment is deleted.
        ...(registeredWithHub(cluster) ? {} : { preserveOnDelete: true }),
      },
    });
    setWave(cd, Wave.INSTALL);

    const infraEnv = new aiv1.InfraEnv(this, 'infra-env', {
      metadata: { name, namespace: name },
      spec: {
        clusterRef: { name, namespace: name },
        pullSecretRef: { name: cluster.pullSecretName },
        agentLabels: { [AGENT_CLUSTER_LABEL]: name },
        cpuArchitecture: 'x86_64',
        nmStateConfigLabelSelector: { matchLabels: { [NMSTATE_LABEL]: name } },
        sshAuthorizedKey: cluster.sshPublicKey,
        ignitionConfigOverride: JSON.stringify(discoveryIgnition(cluster)),
      },
    });
    setWave(infraEnv, Wave.INSTALL);

    // A disconnected fleet pulls from the hub mirror: its credentials go into the pull secret before the install CRs.
    if (config.disconnected) new MirrorPullSecret(this, 'mirror-pull-secret', { cluster, config });

    for (const node of cluster.nodes) this.addNode(cluster, node);
    // A detached cluster runs on its own: no ManagedCluster (ACM removes the klusterlet), no add-ons.
    if (registeredWithHub(cluster)) this.addRegistration(cluster, config);
    // Deleting an Application (even a cascading delete from the UI) never deletes hosts, install state or the namespace.
    for (const obj of this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) keepOnAppDeletion(obj);
  }

  private addRegistration(cluster: EdgeCluster, config: FleetConfig): void {
    const name = cluster.name;
    const mc = new ocm.ManagedCluster(this, 'managed-cluster', {
      metadata: {
        name,
        labels: { [CLUSTER_LABELS.NAME]: name, [CLUSTER_LABELS.FLEET]: 'true', [CLUSTER_LABELS.TOPOLOGY]: cluster.topology },
      },
      spec: { hubAcceptsClient: true, leaseDurationSeconds: 60 },
    });
    setWave(mc, Wave.REGISTRATION);

    if (config.acmEnabled) {
      const kac = new ocmAgent.KlusterletAddonConfig(this, 'klusterlet-addon-config', {
        metadata: { name, namespace: name },
        spec: {
          clusterName: name,
          clusterNamespace: name,
          // Policies are how the fleet configures edge clusters; the other add-ons cost edge resources unused.
          policyController: { enabled: true },
          applicationManager: { enabled: false },
          certPolicyController: { enabled: false },
          searchCollector: { enabled: false },
        },
      });
      setWave(kac, Wave.REGISTRATION);
    }
  }

  private addNode(cluster: EdgeCluster, node: EdgeNode): void {
    const network = nodeNetwork(node);
    const nmstate = new aiv1.NmStateConfig(this, `nmstate-${node.key}`, {
      metadata: { name: node.hostname, namespace: cluster.name, labels: { [NMSTATE_LABEL]: cluster.name } },
      spec: { config: network.config, interfaces: [...network.interfaces] },
    });
    // Before the InfraEnv, so its first discovery ISO already holds every node's network.
    setWave(nmstate, Wave.CONFIG);

    const bmh = new metal3.BareMetalHost(this, `bmh-${node.key}`, {
      metadata: {
        name: node.hostname,
        namespace: cluster.name,
        labels: { [INFRAENV_LABEL]: cluster.name },
        annotations: {
          'inspect.metal3.io': 'disabled',
          [BMAC.HOSTNAME]: node.hostname,
          [BMAC.ROLE]: node.role,
          [BMAC.IGNITION]: JSON.stringify(hostIgnition(node)),
          // While the cluster is managed, deleting the BMH (node `state: remove`, or removing the cluster) also removes
          // the Agent and the spoke Node; present from the first sync, so removal needs one commit. A detached
          // cluster's hosts are instead only forgotten: deleting them must not touch the running edge cluster.
          ...(registeredWithHub(cluster)
            ? { [REMOVE_AGENT_AND_NODE_ANNOTATION]: 'true' }
            : { [DETACHED_ANNOTATION]: DETACHED_VALUE }),
          // Day-2 bundles cannot own Node labels, so the ones they schedule on are set when the node joins.
          ...Object.fromEntries(Object.entries(storageNodeLabels(cluster, node)).map(([k, v]) => [`${BMAC_NODE_LABEL_PREFIX}${k}`, v])),
        },
      },
      spec: {
        online: true,
        bootMacAddress: node.extNic.mac,
        automatedCleaningMode: metal3.BareMetalHostSpecAutomatedCleaningMode.DISABLED,
        rootDeviceHints: { deviceName: node.rootDisk },
        bmc: { address: node.bmcAddress, credentialsName: node.bmc.secretName, disableCertificateVerification: true },
      },
    });
    setWave(bmh, Wave.HOSTS);
  }
}

export function installFamily(app: App, fleet: Fleet): void {
  for (const cluster of fleet.clusters) new EdgeClusterInstallChart(app, { cluster, config: fleet.config });
}
