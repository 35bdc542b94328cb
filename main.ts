/**
 * Wiring only: fleet model → cdk8s App → charts. `ztpfw synth` (cli/) is the supported way to render `dist/`;
 * running this file directly (`cdk8s synth`) renders the default `clusters/` fleet into cdk8s' own layout.
 */
import { App, AppProps } from 'cdk8s';
import { DAY2_FAMILIES, day2Fleet, FAMILIES, LAST_FAMILIES } from './charts';
import { formatDiagnostic } from './model/diagnostics';
import { loadFleet } from './model/loader';
import type { Fleet } from './model/types';

/** Builds the construct tree of a validated fleet. Nothing is written. */
export function buildApp(fleet: Fleet, props: AppProps = {}): App {
  const app = new App(props);
  addCharts(app, fleet);
  return app;
}

/** Adds the charts of every family to `app`, in order (`ztpfw synth` streams them out as they complete). */
export function addCharts(app: App, fleet: Fleet): void {
  for (const family of FAMILIES) family(app, fleet);
  const configuring = day2Fleet(fleet);
  for (const family of DAY2_FAMILIES) family(app, configuring);
  for (const family of LAST_FAMILIES) family(app, fleet);
}

if (require.main === module) {
  const result = loadFleet(process.env.ZTPFW_INPUT ?? 'clusters');
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!result.fleet) process.exit(1);
  buildApp(result.fleet).synth();
}
