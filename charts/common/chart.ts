import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';

export interface ZtpChartProps extends ChartProps {
  /**
   * Folder under the output folder that receives this chart's files, one object per file plus a
   * `kustomization.yaml` (e.g. `clusters/sno-01`, `hub`).
   */
  readonly outputDir: string;
  /**
   * Whether the folder gets a `kustomization.yaml` listing its files (and is listed by its parent's). `false` for a
   * folder that an Argo CD Application syncs as a plain directory, so that adding or removing a file there changes
   * no other file (two pull requests that each add a file cannot conflict).
   * @default true
   */
  readonly kustomization?: boolean;
}

/**
 * Base of every chart we render. Names are always explicit, so cdk8s name hashing is off; the output folder is
 * data on the chart, so `ztpfw synth` can lay out `dist/` without chart dependencies or index prefixes.
 */
export class ZtpChart extends Chart {
  public static isZtpChart(x: unknown): x is ZtpChart {
    return x instanceof ZtpChart;
  }

  public readonly outputDir: string;
  public readonly kustomization: boolean;

  constructor(scope: Construct, id: string, props: ZtpChartProps) {
    super(scope, id, { disableResourceNameHashes: true, ...props });
    this.outputDir = props.outputDir;
    this.kustomization = props.kustomization ?? true;
    // A chart starts: the one before it is complete (families build one chart at a time).
    streams.get(scope)?.next(this);
  }
}

/** Kind and namespace of an object, all that families reading other families' output use. */
export interface ObjectSummary {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  /** RBAC objects only (Role, ClusterRole and their bindings): the name. */
  readonly name?: string;
  /** Bindings only: the role they grant. */
  readonly roleRef?: { readonly kind: string; readonly name: string };
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);
const ROLES = new Set(['Role', 'ClusterRole']);

/** The objects a chart rendered, summarized. */
export interface ChartSummary {
  readonly outputDir: string;
  readonly objects: readonly ObjectSummary[];
}

function summarize(chart: ZtpChart): ChartSummary {
  const seen = new Map<string, ObjectSummary>();
  for (const o of chart.node.findAll()) {
    if (!(o instanceof ApiObject)) continue;
    const namespace = o.metadata.namespace;
    const base = { apiVersion: o.apiVersion, kind: o.kind, ...(namespace !== undefined ? { namespace } : {}) };
    if (o.apiVersion === RBAC_API && (ROLES.has(o.kind) || BINDINGS.has(o.kind))) {
      // Kept one by one: the Argo CD family limits its bind and escalate permissions to these names.
      const name = o.metadata.name!;
      const roleRef = BINDINGS.has(o.kind) ? (o.toJson() as { roleRef: { kind: string; name: string } }).roleRef : undefined;
      seen.set(`${o.apiVersion}\u0000${o.kind}\u0000${namespace ?? ''}\u0000${name}`, { ...base, name, ...(roleRef ? { roleRef: { kind: roleRef.kind, name: roleRef.name } } : {}) });
      continue;
    }
    seen.set(`${o.apiVersion}\u0000${o.kind}\u0000${namespace ?? ''}`, base);
  }
  return { outputDir: chart.outputDir, objects: [...seen.values()] };
}

class ChartStream {
  private pending: ZtpChart | undefined;
  readonly done: ChartSummary[] = [];

  constructor(private readonly scope: Construct, private readonly sink: (chart: ZtpChart) => void) {}

  next(chart: ZtpChart | undefined): void {
    const complete = this.pending;
    this.pending = chart;
    if (!complete) return;
    this.done.push(summarize(complete));
    this.sink(complete);
    this.scope.node.tryRemoveChild(complete.node.id);
  }
}

const streams = new WeakMap<Construct, ChartStream>();

/**
 * Streams the charts of `app`: each ZtpChart goes to `sink` as soon as it is complete (when the next chart starts, and
 * the last one on `finish()`), and is then removed from the tree, so the objects held at once are one chart's, not the
 * fleet's. A family that reads what other families rendered uses {@link renderedCharts}, which keeps a summary of
 * every chart that went. Without a stream (`cdk8s synth`, tests) the tree keeps every chart.
 */
export function streamCharts(app: Construct, sink: (chart: ZtpChart) => void): { finish(): void } {
  const stream = new ChartStream(app, sink);
  streams.set(app, stream);
  return {
    finish: () => {
      stream.next(undefined);
      streams.delete(app);
    },
  };
}

/** Every chart of `app` rendered so far, as summaries: those already streamed and those still in the tree. */
export function renderedCharts(app: Construct): ChartSummary[] {
  return [...(streams.get(app)?.done ?? []), ...app.node.children.filter(ZtpChart.isZtpChart).map(summarize)];
}
