import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as route from '../../imports/route';
import type { FleetConfig } from '../../model/types';
import { DEFAULTS } from '../../model/defaults';
import { imageFor } from '../common/images';
import { HubWave, setWave } from '../common/waves';
import { HubJob } from './job';
import { httpdHost, HubNamespace } from './names';
import { RESTRICTED_SECURITY_CONTEXT } from '../common/job-container';

export interface RhcosHttpdProps {
  readonly config: FleetConfig;
  /** @default '20Gi' */
  readonly size?: string;
}

const PORT = 8080;
const DOCROOT = '/var/www/html';

/**
 * HTTP server of the RHCOS live ISO and rootfs that the AgentServiceConfig `osImages` point at, filled by a
 * checksum-verifying download Job. Lives in its own namespace (the original used `default`).
 */
export class RhcosHttpd extends Construct {
  /** `http://<route host>/<X.Y>/` */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: RhcosHttpdProps) {
    super(scope, id);
    const { config } = props;
    const ns = HubNamespace.HTTPD;
    const labels = { app: 'httpd' };
    const host = httpdHost(config);
    this.baseUrl = `http://${host}/${config.ocpMinor}/`;

    setWave(new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: ns } }), HubWave.NAMESPACE);
    const pvc = new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { name: 'httpd-data', namespace: ns },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(config.hubStorageClass ? { storageClassName: config.hubStorageClass } : {}),
        resources: { requests: { storage: k8s.Quantity.fromString(props.size ?? '20Gi') } },
      },
    });
    setWave(pvc, HubWave.SERVICES);

    const deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: 'httpd', namespace: ns, labels },
      spec: {
        replicas: 1,
        // One RWO volume: the old pod must release it before the new one starts.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            // Serves files only and never calls the API: no token in the pod.
            automountServiceAccountToken: false,
            containers: [{
              name: 'httpd',
              image: imageFor(config, 'httpd'),
              ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
              volumeMounts: [{ name: 'data', mountPath: DOCROOT }],
              readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(PORT) }, periodSeconds: 10 },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
              securityContext: RESTRICTED_SECURITY_CONTEXT,
            }],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'httpd-data' } }],
          },
        },
      },
    });
    setWave(deployment, HubWave.SERVICES);

    setWave(new k8s.KubeService(this, 'Service', {
      metadata: { name: 'httpd', namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromNumber(PORT), protocol: 'TCP' }] },
    }), HubWave.SERVICES);

    setWave(new route.Route(this, 'Route', {
      metadata: { name: 'httpd', namespace: ns, labels },
      spec: {
        host,
        to: { kind: route.RouteSpecToKind.SERVICE, name: 'httpd', weight: 100 },
        port: { targetPort: 'http' },
        // Plain HTTP for hosts booting the ISO; HTTPS works too.
        tls: { termination: route.RouteSpecTlsTermination.EDGE, insecureEdgeTerminationPolicy: route.RouteSpecTlsInsecureEdgeTerminationPolicy.ALLOW },
        wildcardPolicy: route.RouteSpecWildcardPolicy.NONE,
      },
    }), HubWave.SERVICES);

    new HubJob(this, 'Download', {
      config,
      name: 'rhcos-download',
      namespace: ns,
      wave: HubWave.CONTENT,
      main: { name: 'download', image: 'httpd', script: 'rhcos-download.sh' },
      deadlineSeconds: 3600,
      env: { RHCOS_URL: config.rhcosImagesUrl, TARGET_DIR: `${DOCROOT}/${config.ocpMinor}`, ARCH: DEFAULTS.ARCHITECTURE },
      volumes: [{ name: 'data', mountPath: DOCROOT, claim: 'httpd-data' }],
      // The volume is ReadWriteOnce: run on the node that has it mounted.
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }],
        },
      },
    });
  }
}
