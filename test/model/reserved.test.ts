/** Cluster names that would hand a platform, hub or project namespace to Argo CD are refused. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDiagnostic } from '../../model/diagnostics';
import { loadFleet } from '../../model/loader';
import { reservedNameReason } from '../../model/reserved';
import { renderFleet } from '../support/render';

const ROOT = path.resolve(__dirname, '../..');

function fleetNamed(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-reserved-'));
  const text = fs.readFileSync(path.join(ROOT, 'examples/sno-single-nic.yaml'), 'utf8').replace('  - sno-single:', `  - ${name}:`);
  fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
  return path.join(dir, 'fleet.yaml');
}

describe('reserved cluster names', () => {
  test.each([
    ['openshift-gitops', 'names starting with "openshift-" are reserved for platform namespaces'],
    ['openshift-config', 'names starting with "openshift-" are reserved for platform namespaces'],
    ['openshift', '"openshift" is a namespace of the hub platform'],
    ['kube-system', 'names starting with "kube-" are reserved for platform namespaces'],
    ['default', '"default" is a namespace of the hub platform'],
    ['ztpfw-credentials', 'names starting with "ztpfw-" are reserved for this project\'s hub namespaces'],
    ['local-cluster', '"local-cluster" is a namespace of the hub platform'],
    ['open-cluster-management-agent', 'names starting with "open-cluster-management-" are reserved for platform namespaces'],
    ['multicluster-engine', '"multicluster-engine" is a namespace of the hub platform'],
    ['hive', '"hive" is a namespace of the hub platform'],
    ['assisted-installer', '"assisted-installer" is a namespace of the hub platform'],
  ])('"%s" is a located error', (name, reason) => {
    const r = loadFleet(fleetNamed(name));
    expect(r.fleet).toBeUndefined();
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d).replace(/^.*fleet\.yaml/, 'fleet.yaml'));
    expect(errors).toStrictEqual([`fleet.yaml:16:5: error: cluster name "${name}" is reserved: ${reason}. The cluster's name is its namespace on the hub, which Argo CD would take over (and prune when the cluster is removed); choose another name`]);
  });

  test.each(['openshiftlab', 'kubes-01', 'sno-openshift-01', 'hive-01', 'my-ztpfw-01', 'default-1'])('"%s" is fine', (name) => {
    expect(reservedNameReason(name)).toBeUndefined();
    expect(loadFleet(fleetNamed(name)).fleet?.clusters.map((c) => c.name)).toStrictEqual([name]);
  });

  test('every namespace the hub bundle and the Argo CD bootstrap render is reserved, so no cluster can collide with it', () => {
    const r = renderFleet('clusters');
    const hubNamespaces = new Set<string>();
    for (const { path: file, obj } of r.objects) {
      if (file.startsWith('clusters/')) continue;
      if (obj.kind === 'Namespace') hubNamespaces.add(obj.metadata.name);
      if (obj.metadata?.namespace) hubNamespaces.add(obj.metadata.namespace);
    }
    expect(hubNamespaces.size).toBeGreaterThan(5);
    expect([...hubNamespaces].filter((ns) => reservedNameReason(ns) === undefined)).toStrictEqual([]);
  });
});
