import * as path from 'node:path';
import { operatorManifests } from '../../charts/common/olm-manifests';
import { loadFleet } from '../../model/loader';
import { validateManifest } from '../support/schemas';

const config = loadFleet(path.resolve(__dirname, '../../clusters')).fleet!.config;

describe('operatorManifests', () => {
  test('namespace, operator group and subscription of a catalogued package, valid against the pinned schemas', () => {
    const out = operatorManifests(config, 'metallb-operator');
    expect(out.map((m) => [m.kind, m.metadata.name, m.metadata.namespace])).toStrictEqual([
      ['Namespace', 'metallb', undefined],
      ['OperatorGroup', 'metallb-operatorgroup', 'metallb'],
      ['Subscription', 'metallb-operator', 'metallb'],
    ]);
    expect(out[2].spec).toStrictEqual({ name: 'metallb-operator', channel: 'stable', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Automatic' });
    for (const m of out) expect(validateManifest(m)).toStrictEqual([]);
  });

  test('the channel follows the config and parts can be left out', () => {
    const out = operatorManifests(config, 'lvms-operator', { namespace: false, operatorGroup: false });
    expect(out).toHaveLength(1);
    expect((out[0].spec as { channel: string }).channel).toBe(`stable-${config.odfVersion}`);
    expect(() => operatorManifests(config, 'no-such-operator')).toThrow('unknown operator package no-such-operator');
  });
});
