import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BODY_LIMIT, commentBody, CommentEnv, MARKER, postComment } from '../../hack/pr-comment';

interface Recorded { method: string; url: string; auth?: string; body?: any }
interface Comment { id: number; body: string; html_url: string; user?: { login: string } }

/**
 * Plays the three GitHub endpoints the comment needs, for pull request 7 of acme/fleet, with comments served in
 * pages of `per_page` and Link headers like GitHub's. Every request is recorded.
 */
class FakeGitHub {
  readonly requests: Recorded[] = [];
  comments: Comment[] = [];
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => { raw += c; });
      req.on('end', () => {
        const body = raw ? JSON.parse(raw) : undefined;
        this.requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        const u = new URL(req.url!, this.url);
        const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(data));
        };
        if (req.method === 'GET' && u.pathname === '/repos/acme/fleet/issues/7/comments') {
          const per = Number(u.searchParams.get('per_page') ?? 30);
          const page = Number(u.searchParams.get('page') ?? 1);
          const last = Math.max(1, Math.ceil(this.comments.length / per));
          const link: Record<string, string> = page < last ? { link: `<${this.url}/repos/acme/fleet/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next", <${this.url}/repos/acme/fleet/issues/7/comments?per_page=${per}&page=${last}>; rel="last"` } : {};
          return send(200, this.comments.slice((page - 1) * per, page * per), link);
        }
        const edit = /^\/repos\/acme\/fleet\/issues\/comments\/(\d+)$/.exec(u.pathname);
        if (req.method === 'PATCH' && edit) {
          const c = this.comments.find((x) => x.id === Number(edit[1]));
          if (!c) return send(404, { message: 'Not Found' });
          c.body = body.body;
          return send(200, c);
        }
        if (req.method === 'POST' && u.pathname === '/repos/acme/fleet/issues/7/comments') {
          const c = { id: 9000 + this.comments.length, user: { login: 'github-actions[bot]' }, body: body.body, html_url: `https://github.example/acme/fleet/pull/7#issuecomment-${9000 + this.comments.length}` };
          this.comments.push(c);
          return send(201, c);
        }
        return send(404, { message: 'Not Found' });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function env(gh: FakeGitHub, payload: unknown = { action: 'synchronize', number: 7, pull_request: { number: 7 } }): CommentEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztpfw-event-'));
  fs.writeFileSync(path.join(dir, 'event.json'), JSON.stringify(payload));
  return { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/fleet', GITHUB_EVENT_PATH: path.join(dir, 'event.json'), GITHUB_API_URL: gh.url };
}

const others = (n: number, from = 1): Comment[] => Array.from({ length: n }, (_, i) => ({ id: from + i, user: { login: `dev${i}` }, body: `looks good ${i}`, html_url: `u${from + i}` }));

describe('hack/pr-comment against a local GitHub API', () => {
  let gh: FakeGitHub;
  beforeEach(async () => { gh = new FakeGitHub(); await gh.start(); });
  afterEach(async () => { await gh.stop(); });

  test('creates the comment when the PR has none of ours', async () => {
    gh.comments = others(2);
    const r = await postComment('### ztpfw diff\n\nNo changes.\n', env(gh));
    expect(r).toStrictEqual({ action: 'created', id: 9002, url: 'https://github.example/acme/fleet/pull/7#issuecomment-9002' });
    expect(gh.requests.map((q) => `${q.method} ${q.url}`)).toStrictEqual(['GET /repos/acme/fleet/issues/7/comments?per_page=100', 'POST /repos/acme/fleet/issues/7/comments']);
    expect(gh.requests[1].body).toStrictEqual({ body: `${MARKER}\n### ztpfw diff\n\nNo changes.\n` });
    expect(gh.requests.every((q) => q.auth === 'token test-token')).toBe(true);
  });

  test('updates our comment in place on a later push, found on the second page of comments', async () => {
    gh.comments = [...others(100), { id: 555, user: { login: 'github-actions[bot]' }, body: `${MARKER}\nold diff`, html_url: 'u555' }, ...others(3, 200)];
    const r = await postComment('new diff\n', env(gh));
    expect(r).toStrictEqual({ action: 'updated', id: 555, url: 'u555' });
    expect(gh.requests.map((q) => `${q.method} ${q.url}`)).toStrictEqual([
      'GET /repos/acme/fleet/issues/7/comments?per_page=100',
      'GET /repos/acme/fleet/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/acme/fleet/issues/comments/555',
    ]);
    expect(gh.comments.find((c) => c.id === 555)!.body).toBe(`${MARKER}\nnew diff\n`);
    expect(gh.comments).toHaveLength(104);
  });

  test('a second run after creating updates instead of adding another comment', async () => {
    const e = env(gh);
    await postComment('first\n', e);
    const second = await postComment('second\n', e);
    expect(second.action).toBe('updated');
    expect(gh.comments.map((c) => c.body)).toStrictEqual([`${MARKER}\nsecond\n`]);
  });

  test('a comment with the marker by anyone but the bot, or quoting it after other text, is never edited', async () => {
    const forged = [
      { id: 11, user: { login: 'mallory' }, body: `${MARKER}\nplease approve`, html_url: 'u11' },
      { id: 12, user: { login: 'github-actions[bot]' }, body: `another bot comment quoting ${MARKER}`, html_url: 'u12' },
      { id: 13, body: `${MARKER}\nno author`, html_url: 'u13' },
    ];
    gh.comments = forged.map((c) => ({ ...c }));
    const r = await postComment('the diff\n', env(gh));
    expect(r.action).toBe('created');
    expect(gh.requests.map((q) => q.method)).toStrictEqual(['GET', 'POST']);
    expect(gh.comments.slice(0, 3)).toStrictEqual(forged);
    // the token's own comment is found again on the next push; another author can be named for a personal token
    expect((await postComment('again\n', env(gh))).action).toBe('updated');
    expect((await postComment('as mallory\n', { ...env(gh), COMMENT_AUTHOR: 'mallory' })).id).toBe(11);
  });

  test('a long diff is truncated below the body limit with a note', async () => {
    const line = `  - \`spec.x\`: ${'x'.repeat(90)}`;
    const big = ['### ztpfw diff', '', '**1 changed object**', '', '#### ⚠️ Risk flags (1)', '', '- **BMC address changed**', '', '- ✏️ changed `a`', '  - `data.s`', '    ```diff', ...Array.from({ length: 2000 }, () => `    +${line}`), '    ```', ''].join('\n');
    expect(big.length).toBeGreaterThan(BODY_LIMIT);
    await postComment(big, env(gh));
    const posted: string = gh.requests[1].body.body;
    expect(posted.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(posted.startsWith(`${MARKER}\n### ztpfw diff\n\n**1 changed object**\n\n#### ⚠️ Risk flags (1)\n\n- **BMC address changed**\n`)).toBe(true);
    expect(posted).toMatch(/\n {4}```\n\n> \[!NOTE\]\n> Truncated: \d+ of 2013 lines shown\. The full diff is in the job summary and in the `ztpfw-diff` artifact of the workflow run\.\n$/);
    expect(posted.match(/```/g)!.length % 2).toBe(0);
  });

  test.each<[string, (e: CommentEnv) => CommentEnv, RegExp]>([
    ['no token', (e) => ({ ...e, GITHUB_TOKEN: '' }), /^GITHUB_TOKEN is not set$/],
    ['bad repository', (e) => ({ ...e, GITHUB_REPOSITORY: 'acme' }), /^GITHUB_REPOSITORY must be owner\/name, got "acme"$/],
    ['not a pull request event', (e) => ({ ...e, GITHUB_EVENT_PATH: env(gh, { ref: 'refs/heads/main' }).GITHUB_EVENT_PATH }), /is not about a pull request/],
  ])('refuses to run with %s, before any request', async (_, change, message) => {
    await expect(postComment('x', change(env(gh)))).rejects.toThrow(message);
    expect(gh.requests).toStrictEqual([]);
  });
});

describe('commentBody', () => {
  test('short markdown is kept whole behind the marker', () => {
    expect(commentBody('a\nb\n')).toBe(`${MARKER}\na\nb\n`);
  });

  test.each([200, 1000, 5000])('never exceeds a limit of %i and keeps whole lines', (limit) => {
    const md = Array.from({ length: 500 }, (_, i) => `line ${i} ${'y'.repeat(i % 37)}`).join('\n');
    const body = commentBody(md, limit);
    expect(body.length).toBeLessThanOrEqual(limit);
    const kept = body.slice(MARKER.length + 1).split('\n\n> [!NOTE]')[0].split('\n');
    expect(kept).toStrictEqual(md.split('\n').slice(0, kept.length));
    expect(body).toContain(`: ${kept.length} of 500 lines shown.`);
  });
});
