/**
 * Presentation of a render diff: plain or coloured text for a terminal, GitHub-flavoured markdown for a pull request.
 * Grouped by cluster (then the hub and any other folder), then by kind.
 */
import { FieldChange, formatPath, ObjectDiff, RenderDiff } from './diff';
import { FlagGroup, groupFlags, RiskFlag, short } from './diff-risks';
import { ClusterRow, markdownRows } from './list';
import { escapeControls } from '../model/text';

export type DiffFormat = 'text' | 'markdown' | 'json';

export interface FormatOptions {
  readonly format: DiffFormat;
  /**
   * ANSI colours (text format only).
   * @default false
   */
  readonly colour?: boolean;
  /**
   * Lines shown of each line-by-line diff of a long string; the rest is counted.
   * @default 40
   */
  readonly maxLines?: number;
  /** What the render was compared with, e.g. `dist/ at origin/main (1a2b3c4)`. */
  readonly baseLabel: string;
  /** What was rendered, e.g. `clusters`. */
  readonly headLabel: string;
  /**
   * The fleet's rows (`ztpfw list`): the markdown starts with those of the clusters the diff touches.
   * @default no table
   */
  readonly fleet?: readonly ClusterRow[];
}

/** Touched clusters listed in the markdown table; the rest are counted (a comment has to stay small). */
export const MAX_TABLE_ROWS = 20;

export const DEFAULT_MAX_LINES = 40;
/** Flags listed per rule; the rest of the rule's flags are counted (all of them are in `--format json`). */
export const MAX_EXAMPLES = 5;
/**
 * Hidden line of the markdown between the summary (counts and every risk flag) and the per-object details, so that a
 * size-limited consumer (the pull request comment) can keep the first part whole and cut only the second.
 */
export const DETAILS_MARKER = '<!-- ztpfw-details -->';

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 added, 1 removed, 3 changed objects` (zero counts left out). */
export function countLine(diff: RenderDiff): string {
  const n = (s: ObjectDiff['status']) => diff.objects.filter((o) => o.status === s).length;
  const parts = (['added', 'removed', 'changed'] as const).filter((s) => n(s) > 0).map((s) => `${n(s)} ${s}`);
  return `${parts.join(', ')} object${diff.objects.length === 1 ? '' : 's'}`;
}

/**
 * Objects by group, then kind. Fleet-wide groups (`hub`, `argocd`, …) come before the clusters: a hub change affects
 * every cluster, and a long diff is cut from the end.
 */
function groups(diff: RenderDiff): Map<string, Map<string, ObjectDiff[]>> {
  const out = new Map<string, Map<string, ObjectDiff[]>>();
  const ordered = [...diff.objects.filter((o) => !o.cluster), ...diff.objects.filter((o) => o.cluster)];
  for (const o of ordered) {
    let byKind = out.get(o.group);
    if (!byKind) out.set(o.group, (byKind = new Map()));
    const list = byKind.get(o.kind);
    if (list) list.push(o);
    else byKind.set(o.kind, [o]);
  }
  return out;
}

/** `1000 objects in 1000 clusters`, `2 objects in hub`. */
function reach(g: FlagGroup): string {
  const others = g.flags.filter((f) => !f.group.startsWith('clusters/')).length;
  return `${plural(g.count, 'object')}${g.clusters ? ` in ${plural(g.clusters, 'cluster')}` : ''}${others && g.clusters ? ` and ${plural(others, 'fleet-wide object')}` : ''}`;
}

function flagsHeading(flags: readonly RiskFlag[], grouped: readonly FlagGroup[]): string {
  return `Risk flags (${flags.length}${grouped.length < flags.length ? ` in ${plural(grouped.length, 'rule')}` : ''})`;
}

function where(diff: RenderDiff): string {
  const others = [...new Set(diff.objects.filter((o) => !o.cluster).map((o) => o.group))];
  return [...(diff.clusters.length ? [plural(diff.clusters.length, 'cluster')] : []), ...others].join(' and ');
}

function cut(lines: readonly string[], max: number): { shown: readonly string[]; more: number } {
  return lines.length > max ? { shown: lines.slice(0, max), more: lines.length - max } : { shown: lines, more: 0 };
}

function groupNote(diff: RenderDiff, group: string): string {
  const what = group.startsWith('clusters/') ? 'cluster' : 'folder';
  return diff.addedGroups.includes(group) ? ` (new ${what})` : diff.removedGroups.includes(group) ? ` (${what} removed)` : '';
}

function objectName(o: ObjectDiff): string {
  return `${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

export function formatDiff(diff: RenderDiff, flags: readonly RiskFlag[], options: FormatOptions): string {
  if (options.format === 'json') return `${JSON.stringify(diffJson(diff, flags, options), null, 2)}\n`;
  return options.format === 'markdown' ? markdown(diff, flags, options) : text(diff, flags, options);
}

/**
 * `ztpfw diff --format json` (shape documented in the README): every flag and every field change, nothing cut.
 * Added and removed objects are listed without their content; Secret values are hidden as in the other formats.
 */
export function diffJson(diff: RenderDiff, flags: readonly RiskFlag[], options: Pick<FormatOptions, 'baseLabel' | 'headLabel'>): object {
  const n = (s: ObjectDiff['status']) => diff.objects.filter((o) => o.status === s).length;
  return {
    base: options.baseLabel,
    head: options.headLabel,
    counts: { added: n('added'), removed: n('removed'), changed: n('changed') },
    clusters: diff.clusters,
    addedGroups: diff.addedGroups,
    removedGroups: diff.removedGroups,
    flagGroups: groupFlags(flags).map(({ rule, title, explanation, count, clusters }) => ({ rule, title, explanation, count, clusters })),
    flags,
    objects: diff.objects.map((o) => ({
      status: o.status,
      path: o.path,
      group: o.group,
      ...(o.cluster ? { cluster: o.cluster } : {}),
      kind: o.kind,
      name: o.name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      changes: o.changes.map((c) => ({
        status: c.status,
        path: formatPath(c.path),
        ...(c.status !== 'added' && !c.lines ? { before: c.before } : {}),
        ...(c.status !== 'removed' && !c.lines ? { after: c.after } : {}),
        ...(c.lines ? { lines: c.lines } : {}),
      })),
    })),
  };
}

function text(diff: RenderDiff, flags: readonly RiskFlag[], options: FormatOptions): string {
  // Everything but our own colours is escaped: a value, a name or a script line from the output can neither move the
  // cursor, colour the screen nor start a line of its own (model/text.ts).
  const e = escapeControls;
  const c = (colour: keyof typeof ANSI, s: string) => (options.colour ? `${ANSI[colour]}${e(s)}${ANSI.reset}` : e(s));
  const statusColour = { added: 'green', removed: 'red', changed: 'yellow' } as const;
  const max = options.maxLines ?? DEFAULT_MAX_LINES;
  if (diff.objects.length === 0) return `No changes: ${options.headLabel} renders exactly ${options.baseLabel}.\n`;
  const out: string[] = [`${c('bold', `ztpfw diff: ${options.headLabel} against ${options.baseLabel}`)}`, e(`${countLine(diff)} in ${where(diff)}`), ''];
  if (flags.length) {
    const grouped = groupFlags(flags);
    out.push(c('bold', `${flagsHeading(flags, grouped)}:`));
    const subject = (f: RiskFlag) => `${[f.group === '*' ? undefined : f.group, f.object].filter(Boolean).join(' ')}${f.detail ? ` (${f.detail})` : ''}`;
    for (const g of grouped) {
      if (g.count === 1) {
        const s = subject(g.flags[0]);
        out.push(`  ${c('red', '!')} ${c('bold', g.title)}${s ? `: ${e(s)}` : ''}`, `    ${g.explanation}`);
        continue;
      }
      out.push(`  ${c('red', '!')} ${c('bold', g.title)}: ${reach(g)}`, `    ${g.explanation}`);
      for (const f of g.flags.slice(0, MAX_EXAMPLES)) out.push(`      ${e(subject(f))}`);
      if (g.count > MAX_EXAMPLES) out.push(`      and ${g.count - MAX_EXAMPLES} more`);
    }
    out.push('');
  }
  for (const [group, byKind] of groups(diff)) {
    out.push(c('bold', `${group}${groupNote(diff, group)}`));
    for (const [kind, objects] of byKind) {
      out.push(`  ${e(kind)}`);
      for (const o of objects) {
        out.push(`    ${c(statusColour[o.status], `${SIGN[o.status]} ${objectName(o)}`)}`);
        for (const ch of o.changes) {
          const p = formatPath(ch.path);
          if (ch.lines) {
            out.push(`        ${e(p)}:`);
            const { shown, more } = cut(ch.lines, max);
            for (const l of shown) {
              const col = l.startsWith('@@') ? 'cyan' : l.startsWith('+') ? 'green' : l.startsWith('-') ? 'red' : undefined;
              out.push(`          ${col ? c(col, l) : e(l)}`);
            }
            if (more) out.push(`          ... ${plural(more, 'more line')}`);
          } else {
            out.push(`        ${c(statusColour[ch.status], fieldLine(ch, p))}`);
          }
        }
      }
    }
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function fieldLine(ch: FieldChange, p: string): string {
  if (ch.status === 'added') return `${SIGN.added} ${p}: ${short(ch.after)}`;
  if (ch.status === 'removed') return `${SIGN.removed} ${p}: ${short(ch.before)}`;
  return `${p}: ${short(ch.before)} → ${short(ch.after)}`;
}

/** Inline code that survives backticks and control characters in the value. */
function code(raw: string): string {
  const s = escapeControls(raw);
  const runs = s.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  return fence.length > 1 ? `${fence} ${s} ${fence}` : `\`${s}\``;
}

const MD_STATUS = { added: '➕ added', removed: '➖ removed', changed: '✏️ changed' } as const;

function markdown(diff: RenderDiff, flags: readonly RiskFlag[], options: FormatOptions): string {
  const max = options.maxLines ?? DEFAULT_MAX_LINES;
  const out: string[] = ['### ztpfw diff', ''];
  if (diff.objects.length === 0) {
    out.push(`No changes: ${code(options.headLabel)} renders exactly ${options.baseLabel}.`);
    return `${out.join('\n')}\n`;
  }
  out.push(`**${countLine(diff)}** in ${where(diff)}: ${code(options.headLabel)} rendered against ${options.baseLabel}.`, '');
  if (options.fleet && diff.clusters.length) {
    const touched = new Set(diff.clusters);
    const rows = options.fleet.filter((r) => touched.has(r.name));
    const removed = diff.clusters.filter((c) => !rows.some((r) => r.name === c));
    out.push(...markdownRows(rows, removed, MAX_TABLE_ROWS), '');
  }
  if (flags.length) {
    const grouped = groupFlags(flags);
    out.push(`#### ⚠️ ${flagsHeading(flags, grouped)}`, '');
    const subject = (f: RiskFlag) => {
      const s = [f.group === '*' ? undefined : code(f.group), f.object ? code(f.object) : undefined].filter(Boolean).join(' ');
      return `${s}${f.detail ? `: ${code(f.detail)}` : ''}`;
    };
    for (const g of grouped) {
      if (g.count === 1) {
        const s = subject(g.flags[0]);
        out.push(`- **${g.title}**${s ? ` ${s}` : ''}<br>${g.explanation}`);
        continue;
      }
      out.push(`- **${g.title}**: ${reach(g)}<br>${g.explanation}`);
      for (const f of g.flags.slice(0, MAX_EXAMPLES)) out.push(`  - ${subject(f)}`);
      if (g.count > MAX_EXAMPLES) out.push(`  - and ${g.count - MAX_EXAMPLES} more`);
    }
    out.push('');
  } else {
    out.push('No risk flags.', '');
  }
  out.push(DETAILS_MARKER, '');
  for (const [group, byKind] of groups(diff)) {
    out.push(`#### ${code(group)}${groupNote(diff, group)}`, '');
    for (const [kind, objects] of byKind) {
      out.push(`**${kind}**`, '');
      for (const o of objects) {
        out.push(`- ${MD_STATUS[o.status]} ${code(objectName(o))}`);
        for (const ch of o.changes) {
          const p = code(formatPath(ch.path));
          if (ch.lines) {
            const { shown, more } = cut(ch.lines, max);
            // A fence longer than any backtick run in the lines, so a line of the value cannot close it early.
            const fence = '`'.repeat(Math.max(3, ...shown.flatMap((l) => (l.match(/`+/g) ?? []).map((r) => r.length + 1))));
            out.push(`  - ${p}`, `    ${fence}diff`, ...shown.map((l) => `    ${escapeControls(l)}`), ...(more ? [`    ... ${plural(more, 'more line')}`] : []), `    ${fence}`);
          } else if (ch.status === 'changed') {
            out.push(`  - ${p}: ${code(short(ch.before))} → ${code(short(ch.after))}`);
          } else {
            out.push(`  - ${p} ${ch.status}: ${code(short(ch.status === 'added' ? ch.after : ch.before))}`);
          }
        }
      }
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
