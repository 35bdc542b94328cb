import * as k8s from '../../imports/k8s';
import type { FleetConfig } from '../../model/types';
import { imageFor, ImageKey } from './images';

/**
 * The container security context of everything we run (Jobs, HTTPD, registry, setup UI): what the OpenShift
 * `restricted-v2` SCC admits without any grant — no privilege escalation, non-root, no capabilities, runtime seccomp.
 */
export const RESTRICTED_SECURITY_CONTEXT: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface JobContainerProps {
  readonly name: string;
  readonly image: ImageKey;
  /** Script file, mounted under /scripts from the Job's scripts ConfigMap. */
  readonly script: string;
  readonly env: readonly k8s.EnvVar[];
  readonly mounts: readonly k8s.VolumeMount[];
  /** @default - 50m CPU, 64Mi memory (a script that calls `oc`) */
  readonly requests?: { readonly cpu: string; readonly memory: string };
}

/**
 * The container every Job of ours runs (hub and edge alike): its script with bash, HOME in /tmp, small requests,
 * and the restricted security context (no privilege escalation, non-root, no capabilities, runtime seccomp).
 */
export function jobContainer(config: FleetConfig, props: JobContainerProps): k8s.Container {
  return {
    name: props.name,
    image: imageFor(config, props.image),
    command: ['/bin/bash', `/scripts/${props.script}`],
    env: [{ name: 'HOME', value: '/tmp' }, ...props.env],
    volumeMounts: [...props.mounts],
    resources: { requests: { cpu: k8s.Quantity.fromString(props.requests?.cpu ?? '50m'), memory: k8s.Quantity.fromString(props.requests?.memory ?? '64Mi') } },
    securityContext: RESTRICTED_SECURITY_CONTEXT,
  };
}
