import { Chart, ChartProps } from 'cdk8s';
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
  }
}
