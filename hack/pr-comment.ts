/**
 * Posts the markdown of `ztpfw diff --format markdown` on the pull request of a GitHub Actions run as ONE sticky
 * comment: found again on later pushes by a hidden marker and edited in place, created when there is none.
 *
 *   npx ts-node --transpile-only hack/pr-comment.ts diff.md             (or the markdown on stdin)
 *   npx ts-node --transpile-only hack/pr-comment.ts --summary diff.md   (prints it fitted into the job summary limit)
 *
 * Environment (set by GitHub Actions): GITHUB_TOKEN (needs pull-requests: write), GITHUB_REPOSITORY (owner/name),
 * GITHUB_EVENT_PATH (the pull_request event payload, for the PR number), GITHUB_API_URL (default
 * https://api.github.com; tests point it at a local server). COMMENT_AUTHOR: the login the token posts as (default
 * github-actions[bot], the author of every GITHUB_TOKEN comment); only a comment of that author that starts with
 * the marker is ever edited, so nobody can make the workflow overwrite a comment by quoting the marker.
 * Exit codes: 0 posted, 1 the API refused, 2 missing or wrong environment/arguments.
 */
import * as fs from 'node:fs';
import { Octokit } from '@octokit/rest';
import { DETAILS_MARKER } from '../cli/diff-format';

/** Hidden marker that identifies our comment among everybody else's. */
export const MARKER = '<!-- ztpfw-diff -->';
/** GitHub refuses comment bodies longer than this many characters. */
export const BODY_LIMIT = 65536;
/**
 * GitHub keeps at most 1 MiB of what a step writes to `$GITHUB_STEP_SUMMARY`
 * (docs.github.com, "Workflow commands for GitHub Actions", Adding a job summary: "Step isolation and limits").
 */
export const SUMMARY_LIMIT = 1024 * 1024;

export class SetupError extends Error {}

export interface CommentEnv {
  readonly GITHUB_TOKEN?: string;
  readonly GITHUB_REPOSITORY?: string;
  readonly GITHUB_EVENT_PATH?: string;
  readonly GITHUB_API_URL?: string;
  readonly COMMENT_AUTHOR?: string;
}

/** The login of comments made with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT = 'github-actions[bot]';

export interface PostResult {
  readonly action: 'created' | 'updated';
  readonly id: number;
  readonly url: string;
}

/**
 * `markdown` cut to `limit` (as measured by `size`) at a line boundary. Everything above DETAILS_MARKER (the counts,
 * the touched clusters and every risk flag) is kept whole; only the per-object details below it are cut. An open code
 * fence is closed, and a note says how many lines are shown and where the rest is.
 */
export function fitMarkdown(markdown: string, limit: number, where: string, size: (s: string) => number = (s) => s.length): string {
  if (size(markdown) <= limit) return markdown;
  const lines = markdown.split('\n');
  const note = (shown: number) => `\n\n> [!NOTE]\n> Truncated: ${shown} of ${lines.length} lines shown. ${where}\n`;
  // Room for the note with the largest numbers it can hold, and for closing a fence.
  const budget = limit - size(note(lines.length)) - 16;
  const marker = lines.indexOf(DETAILS_MARKER);
  let used = 0;
  let kept = 0;
  // The head (bounded: one line per rule and a few examples each) is kept whole unless it alone is over budget.
  const headSize = lines.slice(0, marker + 1).reduce((n, l) => n + size(l) + 1, 0);
  if (headSize <= budget) [kept, used] = [marker + 1, headSize];
  while (kept < lines.length && used + size(lines[kept]) + 1 <= budget) used += size(lines[kept++]) + 1;
  const shown = lines.slice(0, kept);
  let fence: string | undefined;
  for (const l of shown) {
    const m = /^(\s*)```/.exec(l);
    if (m) fence = fence === undefined ? m[1] : undefined;
  }
  if (fence !== undefined) shown.push(`${fence}\`\`\``);
  return `${shown.join('\n')}${note(kept)}`;
}

/** The comment body: marker, then the markdown fitted into GitHub's comment limit. */
export function commentBody(markdown: string, limit = BODY_LIMIT): string {
  const head = `${MARKER}\n`;
  return `${head}${fitMarkdown(markdown, limit - head.length, 'The full diff is in the job summary and in the `ztpfw-diff` artifact of the workflow run.')}`;
}

/** The markdown fitted into the 1 MiB a step may write to the job summary (measured in UTF-8 bytes). */
export function summaryBody(markdown: string, limit = SUMMARY_LIMIT): string {
  return fitMarkdown(markdown, limit, 'The full diff is in the `ztpfw-diff` artifact of the workflow run.', (s) => Buffer.byteLength(s, 'utf8'));
}

function prNumber(eventPath: string): number {
  let event: any;
  try {
    event = JSON.parse(fs.readFileSync(eventPath, 'utf8'));
  } catch (e) {
    throw new SetupError(`cannot read the event payload ${eventPath}: ${(e as Error).message}`);
  }
  const n = event?.pull_request?.number ?? event?.issue?.number;
  if (!Number.isInteger(n)) throw new SetupError(`the event payload ${eventPath} is not about a pull request (no pull_request.number)`);
  return n;
}

/** Creates or updates the one sticky comment on the pull request of the current run. */
export async function postComment(markdown: string, env: CommentEnv = process.env): Promise<PostResult> {
  const token = env.GITHUB_TOKEN;
  if (!token) throw new SetupError('GITHUB_TOKEN is not set');
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length) throw new SetupError(`GITHUB_REPOSITORY must be owner/name, got "${env.GITHUB_REPOSITORY ?? ''}"`);
  if (!env.GITHUB_EVENT_PATH) throw new SetupError('GITHUB_EVENT_PATH is not set (run this from a pull_request workflow)');
  const issue_number = prNumber(env.GITHUB_EVENT_PATH);
  const octokit = new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL || 'https://api.github.com', userAgent: 'ztpfw-pr-comment' });
  const body = commentBody(markdown);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const author = env.COMMENT_AUTHOR || ACTIONS_BOT;
  const mine = comments.find((c) => c.user?.login === author && (c.body ?? '').startsWith(MARKER));
  if (mine) {
    const res = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    return { action: 'updated', id: res.data.id, url: res.data.html_url };
  }
  const res = await octokit.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: res.data.id, url: res.data.html_url };
}

async function main(argv: string[]): Promise<number> {
  const summary = argv[0] === '--summary';
  const files = summary ? argv.slice(1) : argv;
  if (files.length > 1 || argv[0] === '-h' || argv[0] === '--help') {
    process.stderr.write('Usage: ts-node hack/pr-comment.ts [--summary] [FILE]   (markdown from FILE or stdin)\n');
    return argv[0] === '-h' || argv[0] === '--help' ? 0 : 2;
  }
  const markdown = fs.readFileSync(files[0] ?? 0, 'utf8');
  if (summary) {
    process.stdout.write(summaryBody(markdown));
    return 0;
  }
  try {
    const r = await postComment(markdown);
    process.stdout.write(`${r.action} comment ${r.url}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`pr-comment: ${(e as Error).message}\n`);
    return e instanceof SetupError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
