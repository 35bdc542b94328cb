/**
 * A fast reader for fleet files that gives exactly the data the `yaml` package's YAML 1.2 core schema gives, for
 * files without problems. The `yaml` document model (positions for every node) costs most of a 1000-cluster synth;
 * positions are only needed when something is reported, so the loader reads with js-yaml first and builds the
 * document only when a diagnostic needs a position or js-yaml refuses the text (then `yaml` reports why).
 */
import * as jsyaml from 'js-yaml';

/**
 * The scalar rules of the YAML 1.2 core schema as the `yaml` package applies them (same tests, same order, same
 * conversions). js-yaml's own core schema differs (it reads `1_000` as a number, for one).
 */
const CORE_TYPES = [
  new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s),
    construct: () => null,
  }),
  new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
    construct: (s: string) => s[0] === 't' || s[0] === 'T',
  }),
  new jsyaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string) => /^0o[0-7]+$/.test(s) || /^[-+]?[0-9]+$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s),
    construct: (s: string) => (s.startsWith('0o') ? parseInt(s.substring(2), 8) : s.startsWith('0x') ? parseInt(s.substring(2), 16) : parseInt(s, 10)),
  }),
  new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string) =>
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)
      || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)
      || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s),
    construct: (s: string) => {
      if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
        return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      }
      return parseFloat(s);
    },
  }),
];

const CORE_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: CORE_TYPES });

/**
 * The data of `text`, or undefined when the fast reader cannot vouch for it: duplicate keys, unknown tags, anchors,
 * several documents, a `%YAML` directive, or invalid YAML. The caller then parses with `yaml` and reports.
 */
export function fastParse(text: string): { readonly value: unknown } | undefined {
  // Directives can switch the schema (%YAML 1.1), and anchors/aliases have limits (maxAliasCount) the slow path enforces.
  if (/^%/m.test(text) || /(^|[\s[{,-])[&*][^\s]/.test(text)) return undefined;
  // A null key (`~:`, `null:`, `: x`) becomes "" in the yaml package's data and "null" in js-yaml's.
  if (/(^|[\s{,?])(?:~|[Nn]ull|NULL)?:(\s|$)/m.test(text)) return undefined;
  // Collection keys (`[a, b]: x`, `? …`) are stringified differently by the two libraries.
  if (/[\]}]\s*:(\s|$)/.test(text) || /^[\s-]*\?(\s|$)/m.test(text)) return undefined;
  try {
    const value = jsyaml.load(text, { schema: CORE_SCHEMA });
    return { value: value === undefined ? null : value };
  } catch {
    return undefined;
  }
}
