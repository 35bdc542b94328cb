import { Diagnostic, formatDiagnostics, githubAnnotations, groupDiagnostics } from '../../model/diagnostics';

const d = (file: string, line: number, message: string, severity: Diagnostic['severity'] = 'warning'): Diagnostic => ({ file, line, col: 9, severity, message });

describe('repeated diagnostics', () => {
  const list = [
    d('a.yaml', 1, 'unquoted version', 'error'),
    ...Array.from({ length: 5 }, (_, i) => d(`c${i}.yaml`, 25, 'plaintext "bmc_pass"')),
    d('b.yaml', 2, 'no virtual media'),
    d('b.yaml', 3, 'no virtual media'),
    d('z.yaml', 1, 'unquoted version', 'error'),
  ];

  test('a warning repeated more than 3 times is one line at its first place, with the count and the first 3 places', () => {
    expect(formatDiagnostics(list)).toStrictEqual([
      'a.yaml:1:9: error: unquoted version',
      'c0.yaml:25:9: warning: plaintext "bmc_pass" (5 warnings like this: at c0.yaml:25:9, c1.yaml:25:9, c2.yaml:25:9 and 2 more)',
      'b.yaml:2:9: warning: no virtual media',
      'b.yaml:3:9: warning: no virtual media',
      'z.yaml:1:9: error: unquoted version',
    ]);
    expect(groupDiagnostics(list).map((g) => g.all.length)).toStrictEqual([1, 5, 1, 1, 1]);
  });

  test('errors are never folded; quiet keeps errors only', () => {
    const errors = Array.from({ length: 6 }, (_, i) => d('e.yaml', i + 1, 'same', 'error'));
    expect(formatDiagnostics(errors)).toHaveLength(6);
    expect(formatDiagnostics(list, { quiet: true })).toStrictEqual(['a.yaml:1:9: error: unquoted version', 'z.yaml:1:9: error: unquoted version']);
  });

  test('2,660 identical warnings print as one line', () => {
    const many = Array.from({ length: 2660 }, (_, i) => d(`clusters/edge-${i}.yaml`, 12, 'plaintext "bmc_pass"'));
    expect(formatDiagnostics(many)).toStrictEqual([
      'clusters/edge-0.yaml:12:9: warning: plaintext "bmc_pass" (2660 warnings like this: at clusters/edge-0.yaml:12:9, clusters/edge-1.yaml:12:9, clusters/edge-2.yaml:12:9 and 2657 more)',
    ]);
  });
});

describe('githubAnnotations', () => {
  test('one workflow command per diagnostic, at its file, line and column', () => {
    expect(githubAnnotations([d('clusters/sno-01.yaml', 14, 'unknown key "bmc_secrett"', 'error')])).toStrictEqual([
      '::error file=clusters/sno-01.yaml,line=14,col=9::unknown key "bmc_secrett"',
    ]);
  });

  test('escaped as @actions/core does: %, CR and LF in the message; also : and , in properties', () => {
    const [line] = githubAnnotations([d('odd:name,1%.yaml', 3, '100% wrong\r\nnext: a, b', 'error')]);
    expect(line).toBe('::error file=odd%3Aname%2C1%25.yaml,line=3,col=9::100%25 wrong%0D%0Anext: a, b');
    expect(line).not.toMatch(/[\r\n]/);
  });

  test('a repeated warning is one annotation with a title counting them; quiet drops warnings', () => {
    const many = Array.from({ length: 4 }, (_, i) => d(`c${i}.yaml`, 5, 'plaintext "bmc_pass"'));
    expect(githubAnnotations(many)).toStrictEqual([
      '::warning file=c0.yaml,line=5,col=9,title=4 warnings like this::plaintext "bmc_pass" (4 warnings like this: at c0.yaml:5:9, c1.yaml:5:9, c2.yaml:5:9 and 1 more)',
    ]);
    expect(githubAnnotations(many, { quiet: true })).toStrictEqual([]);
  });
});
