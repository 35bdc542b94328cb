/**
 * Checks over the day-2 delivery objects of a render (issue "Day-2 bundles", Proof): every Policy is bound and
 * placed, every Placement selects exactly the cluster it is named for and no other, and policy dependencies form
 * no cycle and point at existing Policies. ManifestWorks must sit in the namespace of an existing ManagedCluster.
 */
import { selects } from './references';

interface Obj {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [key: string]: any;
}

const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

/** Clusters a Placement's label selectors pick among the rendered ManagedClusters. */
export function placedClusters(placement: Obj, clusters: readonly Obj[]): string[] {
  const predicates: any[] = placement.spec?.predicates ?? [];
  return clusters
    .filter((mc) => predicates.length > 0 && predicates.some((p) => {
      const sel = p.requiredClusterSelector?.labelSelector;
      return sel !== undefined && selects(sel, mc.metadata.labels ?? {});
    }))
    .map((mc) => mc.metadata.name);
}

export function checkDay2(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const clusters = of('ManagedCluster');
  const clusterNames = new Set(clusters.map((c) => c.metadata.name));
  const policies = new Map(of('Policy').map((p) => [key(p.metadata.namespace, p.metadata.name), p]));
  const placements = new Map(of('Placement').map((p) => [key(p.metadata.namespace, p.metadata.name), p]));

  // Placements: exactly the cluster of the ztpfw.io/cluster label.
  for (const p of placements.values()) {
    const intended = p.metadata.labels?.['ztpfw.io/cluster'];
    const picked = placedClusters(p, clusters);
    if (!intended) problems.push(`Placement ${p.metadata.namespace}/${p.metadata.name} has no ztpfw.io/cluster label`);
    else if (picked.length !== 1 || picked[0] !== intended) {
      problems.push(`Placement ${p.metadata.namespace}/${p.metadata.name} selects [${picked.join(', ')}], expected exactly [${intended}]`);
    }
  }

  // Every Policy bound to an existing Placement by a binding in its namespace; placed on its own cluster.
  const boundBy = new Map<string, Obj[]>();
  for (const b of of('PlacementBinding')) {
    const ref = b.placementRef ?? {};
    const placement = placements.get(key(b.metadata.namespace, ref.name));
    if (ref.kind !== 'Placement' || !placement) problems.push(`PlacementBinding ${b.metadata.namespace}/${b.metadata.name} refers to a missing Placement ${ref.name}`);
    for (const s of b.subjects ?? []) {
      const k = key(b.metadata.namespace, s.name);
      if (s.kind === 'Policy' && !policies.has(k)) problems.push(`PlacementBinding ${b.metadata.namespace}/${b.metadata.name} binds a missing Policy ${s.name}`);
      if (placement) boundBy.set(k, [...(boundBy.get(k) ?? []), placement]);
    }
  }
  for (const [k, p] of policies) {
    const placed = boundBy.get(k) ?? [];
    if (placed.length === 0) problems.push(`Policy ${k} is not bound to any Placement`);
    const cluster = p.metadata.labels?.['ztpfw.io/cluster'];
    for (const pl of placed) {
      const picked = placedClusters(pl, clusters);
      if (cluster && (picked.length !== 1 || picked[0] !== cluster)) problems.push(`Policy ${k} for cluster ${cluster} is placed on [${picked.join(', ')}]`);
    }
  }

  // Dependencies: existing Policies, no cycle.
  const edges = new Map<string, string[]>();
  for (const [k, p] of policies) {
    const deps: string[] = [];
    for (const d of p.spec?.dependencies ?? []) {
      const dk = key(d.namespace ?? p.metadata.namespace, d.name);
      if (d.kind !== 'Policy' || !policies.has(dk)) problems.push(`Policy ${k} depends on a missing ${d.kind ?? 'object'} ${dk}`);
      else deps.push(dk);
    }
    edges.set(k, deps);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (k: string, trail: string[]): void => {
    if (state.get(k) === 'done') return;
    if (state.get(k) === 'visiting') {
      problems.push(`Policy dependency cycle: ${[...trail.slice(trail.indexOf(k)), k].join(' → ')}`);
      return;
    }
    state.set(k, 'visiting');
    for (const d of edges.get(k) ?? []) visit(d, [...trail, k]);
    state.set(k, 'done');
  };
  for (const k of [...edges.keys()].sort()) visit(k, []);

  // ManifestWorks live in a managed cluster's namespace.
  for (const mw of of('ManifestWork')) {
    if (!clusterNames.has(mw.metadata.namespace ?? '')) problems.push(`ManifestWork ${mw.metadata.namespace}/${mw.metadata.name} is not in the namespace of a ManagedCluster`);
  }
  return problems;
}
