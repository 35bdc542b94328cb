import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';

export interface ZtpChartProps extends ChartProps {
  /**
   * Folder under the output folder that receives this chart's files, one object per file plus a
   * `kustomization.yaml` (e.g. `clusters/sno-01`, `hub`).
   */
  readonly outputDir: string;
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

  constructor(scope: Construct, id: string, props: ZtpChartProps) {
    super(scope, id, { disableResourceNameHashes: true, ...props });
    this.outputDir = props.outputDir;
  }
}
