import { App } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import * as YAML from 'yaml';
import { ZtpChart } from '../../charts/common/chart';
import { objectFileName, renderApp, toYaml } from '../../cli/render';

describe('toYaml', () => {
  test('quotes every string a YAML 1.1 reader (Kubernetes) would take for another type', () => {
    const tricky = ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'null', '~', '0644', '0x1F', '1e3', '1.10', '4.14', '12', ''];
    const obj = Object.fromEntries(tricky.map((t, i) => [`k${i}`, t]));
    const text = toYaml(obj);
    // read back as YAML 1.1, every value is still the same string
    expect(YAML.parse(text, { version: '1.1' })).toStrictEqual(obj);
    expect(YAML.parse(text)).toStrictEqual(obj);
  });

  test('keeps multi-line strings (scripts, ignition) exact and lines unwrapped', () => {
    const script = '#!/bin/bash\nset -euo pipefail\necho "a very long line ' + 'x'.repeat(300) + '"\n';
    const text = toYaml({ data: { 'run.sh': script } });
    expect(YAML.parse(text).data['run.sh']).toBe(script);
    expect(text).toContain('x'.repeat(300));
  });
});

describe('objectFileName', () => {
  test('is the lower-case kind and the name', () => {
    expect(objectFileName({ kind: 'BareMetalHost', metadata: { name: 'ztpfw-a-master-0' } })).toBe('baremetalhost-ztpfw-a-master-0.yaml');
  });
});

describe('renderApp', () => {
  test('one file per object, and a kustomization per folder listing its files and the chart folders just below', () => {
    // GIVEN charts in a folder and in a sub-folder
    const app = new App();
    const top = new ZtpChart(app, 'top', { outputDir: 'clusters/a' });
    new k8s.KubeNamespace(top, 'ns', { metadata: { name: 'a' } });
    const sub = new ZtpChart(app, 'sub', { outputDir: 'clusters/a/metallb' });
    new k8s.KubeConfigMap(sub, 'cm', { metadata: { name: 'x', namespace: 'a' } });
    const deeper = new ZtpChart(app, 'deeper', { outputDir: 'clusters/a/metallb/extra' });
    new k8s.KubeConfigMap(deeper, 'cm', { metadata: { name: 'y', namespace: 'a' } });

    // WHEN
    const { files, objects } = renderApp(app);

    // THEN
    expect(objects).toBe(3);
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.content]));
    expect(Object.keys(byPath)).toStrictEqual([
      'clusters/a/kustomization.yaml', 'clusters/a/metallb/configmap-x.yaml', 'clusters/a/metallb/extra/configmap-y.yaml',
      'clusters/a/metallb/extra/kustomization.yaml', 'clusters/a/metallb/kustomization.yaml', 'clusters/a/namespace-a.yaml',
    ]);
    expect(YAML.parse(byPath['clusters/a/kustomization.yaml']).resources).toStrictEqual(['namespace-a.yaml', 'metallb']);
    expect(YAML.parse(byPath['clusters/a/metallb/kustomization.yaml']).resources).toStrictEqual(['configmap-x.yaml', 'extra']);
  });

  test('two objects of one kind and name in one folder are a programmer error', () => {
    const app = new App();
    const c = new ZtpChart(app, 'c', { outputDir: 'x' });
    new k8s.KubeConfigMap(c, 'a', { metadata: { name: 'same', namespace: 'n1' } });
    new k8s.KubeConfigMap(c, 'b', { metadata: { name: 'same', namespace: 'n2' } });
    expect(() => renderApp(app)).toThrow('two objects render to x/configmap-same.yaml');
  });
});
