/**
 * Delivery of day-2 configuration to an edge cluster, in the two modes a hub can run:
 *
 * - `policy` (ACM): one Policy per stage, each wrapping a ConfigurationPolicy (`enforce`, objects `musthave`)
 *   that carries the stage's manifests; a stage depends on the previous one being Compliant, and a bundle may
 *   depend on stages of other bundles. Policies live in one hub namespace, are bound per bundle to the cluster's
 *   Placement, and leave their objects in place when removed (`pruneObjectBehavior: None`), so a detached
 *   cluster keeps its configuration.
 * - `manifestwork` (MCE only): one ManifestWork per stage in the cluster's namespace on the hub. There is no
 *   dependency field, so order comes from the work agent retrying: CRs whose CRD is not there yet are applied again
 *   until the operator of an earlier stage has installed it. Deleting a ManifestWork orphans its objects on the
 *   edge (`propagationPolicy: Orphan`), for the same reason as above.
 *
 * Bundles (one chart family each) describe *what* to deliver as stages of plain manifests; this file decides *how*.
 */
import { Construct } from 'constructs';
import * as policy from '../../imports/ocm-policy';
import * as work from '../../imports/ocm-work';
import { DEFAULTS } from '../../model/defaults';
import type { EdgeCluster, EdgeNode } from '../../model/types';
import { setWave, Wave } from './waves';

export type DeliveryMode = 'policy' | 'manifestwork';

/** A manifest delivered to the edge: plain JSON, e.g. what `SomeKind.manifest({...})` returns. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * Annotation of a delivered ConfigMap whose `*.yaml` entries are manifests a Job applies on the edge later (e.g. the
 * registry switch): `ztpfw verify` checks them like every other delivered object.
 */
export const HOLDS_MANIFESTS_ANNOTATION = 'ztpfw.io/holds-manifests';

/** Hub namespace that holds every day-2 Policy of the fleet. */
export const POLICY_NAMESPACE = DEFAULTS.POLICY_NAMESPACE;
/** ManagedClusterSet the policy namespace is bound to (every managed cluster is in `global`). */
export const POLICY_CLUSTER_SET = 'global';
/**
 * ACM replicates a Policy into the cluster namespace as `<namespace>.<name>`, which must stay a valid label
 * (63 characters): so the namespace, a dot and the name together must not exceed 63 characters.
 */
export const POLICY_QUALIFIED_NAME_MAX = 63;

/** Name of the Placement that selects one edge cluster for its day-2 Policies. */
export function placementName(cluster: string): string {
  return `${cluster}-day2`;
}

/** The GPU bundle, enabled by `contrib.gpu-operator` rather than by `DAY2_BUNDLES`. */
export const GPU_BUNDLE = 'gpu';

/**
 * Every day-2 bundle a cluster receives: its `DAY2_BUNDLES`, and `gpu` when `contrib.gpu-operator` is set. Whatever
 * needs to know whether a cluster gets day-2 content (the policy Placement, the detach hook's check) reads this, so
 * a cluster with only the GPU bundle is not taken for one without any.
 */
export function deliveredBundles(cluster: Pick<EdgeCluster, 'day2Bundles' | 'contrib'>): string[] {
  return [...cluster.day2Bundles, ...(cluster.contrib['gpu-operator'] !== undefined ? [GPU_BUNDLE] : [])];
}

/** Label every ManagedCluster carries with its own name (ACM sets it too); placements select on it. */
export const CLUSTER_NAME_LABEL = 'name';

export interface Day2Stage {
  /** Short stage name, unique in the bundle (`operator`, `config`). */
  readonly name: string;
  /** Objects applied together; order within a stage does not matter. */
  readonly manifests: readonly Manifest[];
  /**
   * Status to report back in `manifestwork` mode for objects of these kinds (WellKnownStatus feedback),
   * e.g. `Subscription` or `Deployment`.
   * @default - no feedback
   */
  readonly feedbackKinds?: readonly string[];
  /**
   * Kinds the work agent applies with server-side apply in `manifestwork` mode instead of a full update, so fields
   * that something on the edge sets (a Job patching a generated OAuth secret in, another bundle or the cluster
   * itself filling a singleton like `Image cluster`) are left alone: the agent only owns the fields it renders.
   * Policy mode needs nothing: `musthave` only compares the fields a template names.
   * @default - none (the agent's default `Update`)
   */
  readonly serverSideApplyKinds?: readonly string[];
}

/**
 * Nodes per part of a stage that renders objects per node (disk-wipe Jobs, LocalVolumes, NMState node policies). The
 * work webhook refuses a ManifestWork over 500 KiB, and a wipe Job with its status feedback is about 2.7 KiB, so one
 * ManifestWork for every node fails from about 185 nodes; a part of at most 100 workers (plus the masters in the
 * first) stays near 300 KiB, leaving room for long device path lists.
 */
export const NODES_PER_PART = 100;

/**
 * The part a node's objects go to: the masters and workers 0–99 are part 0, workers 100–199 part 1, and so on. Keyed
 * by the node's number, not its position, so adding or removing a worker never moves another node's objects from
 * one ManifestWork or Policy to another.
 */
export function nodePart(node: Pick<EdgeNode, 'role' | 'index'>): number {
  return node.role === 'master' ? 0 : Math.floor(node.index / NODES_PER_PART);
}

/**
 * A stage whose objects are per node, split into parts by `nodePart`: part 0 keeps the stage's name (so a cluster of
 * at most 100 workers renders exactly one stage, as before) and always exists, for the objects every part shares;
 * part k is the stage `<name>-<k>`, left out when none of its nodes has objects. `render` gets the nodes of one
 * part, in the order given.
 */
export function perNodeStages(stage: Omit<Day2Stage, 'manifests'>, nodes: readonly EdgeNode[], render: (nodes: EdgeNode[], part: number) => Manifest[]): Day2Stage[] {
  const parts = new Map<number, EdgeNode[]>([[0, []]]);
  for (const n of nodes) parts.set(nodePart(n), [...(parts.get(nodePart(n)) ?? []), n]);
  return [...parts.keys()].sort((a, b) => a - b)
    .map((part) => ({ ...stage, name: part === 0 ? stage.name : `${stage.name}-${part}`, manifests: render(parts.get(part)!, part) }));
}

export interface StageRef {
  readonly bundle: string;
  readonly stage: string;
}

export interface Day2BundleProps {
  /** Edge cluster name (its hub namespace). */
  readonly cluster: string;
  /** Bundle name, a short DNS label (`nmstate`, `metallb`, `storage`). */
  readonly bundle: string;
  readonly mode: DeliveryMode;
  /** Applied in order: each stage after the previous one. */
  readonly stages: readonly Day2Stage[];
  /**
   * Stages of other bundles that the first stage of this bundle waits for (policy mode; in manifestwork mode the
   * work agent's retries provide the order).
   * @default - none
   */
  readonly after?: readonly StageRef[];
}

/** Name of the object that delivers one stage: Policy `<cluster>-<bundle>-<stage>` or ManifestWork `ztpfw-<bundle>-<stage>`. */
export function stageObjectName(mode: DeliveryMode, cluster: string, ref: StageRef): string {
  return mode === 'policy' ? `${cluster}-${ref.bundle}-${ref.stage}` : `ztpfw-${ref.bundle}-${ref.stage}`;
}

/** Lower-case plural resource name of a kind, as the work agent's resource identifiers need (`Subscription` → `subscriptions`). */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  return k.endsWith('s') ? `${k}es` : k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`;
}

/**
 * One bundle's day-2 objects for one cluster, in the cluster's delivery mode. Throws only for programmer errors
 * (names too long for ACM, duplicate stages): the model checks user input before charts run.
 */
export class Day2Bundle extends Construct {
  /** Names of the delivering objects, in stage order. */
  public readonly objectNames: readonly string[];

  constructor(scope: Construct, id: string, props: Day2BundleProps) {
    super(scope, id);
    const names = props.stages.map((s) => s.name);
    if (new Set(names).size !== names.length) throw new Error(`bundle ${props.bundle}: duplicate stage names ${names.join(', ')}`);
    if (props.stages.length === 0) throw new Error(`bundle ${props.bundle}: no stages`);
    this.objectNames = props.stages.map((s) => stageObjectName(props.mode, props.cluster, { bundle: props.bundle, stage: s.name }));
    if (props.mode === 'policy') this.renderPolicies(props);
    else this.renderManifestWorks(props);
  }

  private renderPolicies(props: Day2BundleProps): void {
    props.stages.forEach((stage, i) => {
      const name = this.objectNames[i];
      const suffix = name.length - props.cluster.length;
      if (suffix > DEFAULTS.POLICY_NAME_SUFFIX_MAX) {
        throw new Error(`policy suffix "${name.slice(props.cluster.length)}" is longer than the ${DEFAULTS.POLICY_NAME_SUFFIX_MAX} characters the model reserves`);
      }
      if (POLICY_NAMESPACE.length + 1 + name.length > POLICY_QUALIFIED_NAME_MAX) {
        throw new Error(`policy name ${POLICY_NAMESPACE}.${name} is longer than ${POLICY_QUALIFIED_NAME_MAX} characters`);
      }
      const previous: StageRef[] = i === 0 ? [...(props.after ?? [])] : [{ bundle: props.bundle, stage: props.stages[i - 1].name }];
      const p = new policy.Policy(this, stage.name, {
        metadata: {
          name,
          namespace: POLICY_NAMESPACE,
          labels: { 'ztpfw.io/cluster': props.cluster, 'ztpfw.io/bundle': props.bundle },
          annotations: {
            'policy.open-cluster-management.io/standards': 'NIST SP 800-53',
            'policy.open-cluster-management.io/categories': 'CM Configuration Management',
            'policy.open-cluster-management.io/controls': 'CM-2 Baseline Configuration',
          },
        },
        spec: {
          disabled: false,
          remediationAction: policy.PolicySpecRemediationAction.ENFORCE,
          dependencies: previous.length
            ? previous.map((ref) => ({
              apiVersion: 'policy.open-cluster-management.io/v1',
              kind: 'Policy',
              name: stageObjectName('policy', props.cluster, ref),
              namespace: POLICY_NAMESPACE,
              compliance: policy.PolicySpecDependenciesCompliance.COMPLIANT,
            }))
            : undefined,
          policyTemplates: [{
            objectDefinition: {
              apiVersion: 'policy.open-cluster-management.io/v1',
              kind: 'ConfigurationPolicy',
              metadata: { name },
              spec: {
                remediationAction: 'enforce',
                severity: 'high',
                pruneObjectBehavior: 'None',
                // the CRD's key is kebab-case; a camelCase key would be pruned and leave the policy empty
                'object-templates': stage.manifests.map((m) => ({ complianceType: 'musthave', objectDefinition: m })),
              },
            },
          }],
        },
      });
      setWave(p, Wave.DAY2);
    });
    const binding = new policy.PlacementBinding(this, 'binding', {
      metadata: { name: `${props.cluster}-${props.bundle}`, namespace: POLICY_NAMESPACE },
      placementRef: {
        apiGroup: policy.PlacementBindingPlacementRefApiGroup.CLUSTER_PERIOD_OPEN_HYPHEN_CLUSTER_HYPHEN_MANAGEMENT_PERIOD_IO,
        kind: policy.PlacementBindingPlacementRefKind.PLACEMENT,
        name: placementName(props.cluster),
      },
      subjects: this.objectNames.map((name) => ({
        apiGroup: policy.PlacementBindingSubjectsApiGroup.POLICY_PERIOD_OPEN_HYPHEN_CLUSTER_HYPHEN_MANAGEMENT_PERIOD_IO,
        kind: policy.PlacementBindingSubjectsKind.POLICY,
        name,
      })),
    });
    setWave(binding, Wave.DAY2);
  }

  private renderManifestWorks(props: Day2BundleProps): void {
    props.stages.forEach((stage, i) => {
      const feedback = new Set(stage.feedbackKinds ?? []);
      const ssa = new Set(stage.serverSideApplyKinds ?? []);
      const mw = new work.ManifestWork(this, stage.name, {
        metadata: {
          name: this.objectNames[i],
          namespace: props.cluster,
          labels: { 'ztpfw.io/cluster': props.cluster, 'ztpfw.io/bundle': props.bundle, 'ztpfw.io/stage': String(i) },
        },
        spec: {
          deleteOption: { propagationPolicy: work.ManifestWorkSpecDeleteOptionPropagationPolicy.ORPHAN },
          workload: { manifests: stage.manifests.map((m) => ({ ...m })) },
          manifestConfigs: stage.manifests.filter((m) => feedback.has(m.kind) || ssa.has(m.kind)).map((m) => ({
            resourceIdentifier: {
              group: m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '',
              resource: resourceOf(m.kind),
              name: m.metadata.name,
              namespace: m.metadata.namespace,
            },
            ...(feedback.has(m.kind) ? { feedbackRules: [{ type: work.ManifestWorkSpecManifestConfigsFeedbackRulesType.WELL_KNOWN_STATUS }] } : {}),
            ...(ssa.has(m.kind) ? { updateStrategy: { type: work.ManifestWorkSpecManifestConfigsUpdateStrategyType.SERVER_SIDE_APPLY } } : {}),
          })),
        },
      });
      setWave(mw, Wave.DAY2);
    });
  }
}
