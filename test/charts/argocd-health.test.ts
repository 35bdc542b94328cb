/**
 * The Argo CD health checks rendered for the hub operators' CRs, run in a real Lua VM (fengari; Argo CD runs them
 * in gopher-lua, Lua 5.1, and the checks use nothing beyond it) against the statuses the operators' Go APIs define.
 */
import { lauxlib, lua, lualib, to_jsstring, to_luastring } from 'fengari';
import { HUB_HEALTH_CHECKS } from '../../charts/argocd/health';
import { renderFleet } from '../support/render';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function push(L: unknown, v: Json): void {
  if (v === null) lua.lua_pushnil(L);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (typeof v === 'number') lua.lua_pushnumber(L, v);
  else if (typeof v === 'string') lua.lua_pushstring(L, to_luastring(v));
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    v.forEach((x, i) => { push(L, x); lua.lua_rawseti(L, -2, i + 1); });
  } else {
    lua.lua_createtable(L, 0, Object.keys(v).length);
    for (const [k, x] of Object.entries(v)) { push(L, x); lua.lua_setfield(L, -2, to_luastring(k)); }
  }
}

/** Runs a health check with `obj` set, as Argo CD does, and returns its `{status, message}`. */
function runCheck(check: string, obj: Json): { status: string; message: string } {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(check)) !== lua.LUA_OK) throw new Error(to_jsstring(lua.lua_tostring(L, -1)));
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) throw new Error(to_jsstring(lua.lua_tostring(L, -1)));
  const field = (name: string) => { lua.lua_getfield(L, -1, to_luastring(name)); const s = to_jsstring(lua.lua_tostring(L, -1)); lua.lua_pop(L, 1); return s; };
  return { status: field('status'), message: field('message') };
}

const checkOf = (kind: string) => HUB_HEALTH_CHECKS.find((c) => c.kind === kind)!.check;
const withStatus = (status: Json): Json => ({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'x' }, ...(status === undefined ? {} : { status }) });

describe('hub operator health checks', () => {
  test('MultiClusterEngine: Available is Healthy, Error is Degraded, Progressing or no status waits', () => {
    const c = checkOf('MultiClusterEngine');
    expect(runCheck(c, withStatus({ phase: 'Available' }))).toStrictEqual({ status: 'Healthy', message: 'phase: Available' });
    expect(runCheck(c, withStatus({ phase: 'Error' })).status).toBe('Degraded');
    expect(runCheck(c, withStatus({ phase: 'Progressing' })).status).toBe('Progressing');
    expect(runCheck(c, { metadata: { name: 'multiclusterengine' } }).status).toBe('Progressing');
  });

  test('MultiClusterHub: only Running is Healthy; Installing, Updating, Pending wait; Error is Degraded', () => {
    const c = checkOf('MultiClusterHub');
    expect(runCheck(c, withStatus({ phase: 'Running' })).status).toBe('Healthy');
    for (const p of ['Pending', 'Installing', 'Updating', 'UpdatingBlocked', 'Paused']) expect([p, runCheck(c, withStatus({ phase: p })).status]).toStrictEqual([p, 'Progressing']);
    expect(runCheck(c, withStatus({ phase: 'Error' })).status).toBe('Degraded');
    expect(runCheck(c, withStatus({ phase: '' })).status).toBe('Progressing');
  });

  test('LVMCluster: Ready is Healthy, Failed and Degraded are Degraded, Progressing waits', () => {
    const c = checkOf('LVMCluster');
    expect(runCheck(c, withStatus({ state: 'Ready', ready: true })).status).toBe('Healthy');
    expect(runCheck(c, withStatus({ state: 'Failed' })).status).toBe('Degraded');
    expect(runCheck(c, withStatus({ state: 'Degraded' })).status).toBe('Degraded');
    expect(runCheck(c, withStatus({ state: 'Progressing', ready: false })).status).toBe('Progressing');
  });

  test('AgentServiceConfig: Healthy only when ReconcileCompleted and DeploymentsHealthy are True; never Degraded', () => {
    const c = checkOf('AgentServiceConfig');
    const cond = (type: string, status: string, message = '') => ({ type, status, reason: status === 'True' ? 'Succeeded' : 'DeploymentFailure', message });
    expect(runCheck(c, withStatus({ conditions: [cond('ReconcileCompleted', 'True'), cond('DeploymentsHealthy', 'True')] })).status).toBe('Healthy');
    expect(runCheck(c, withStatus({ conditions: [cond('ReconcileCompleted', 'True'), cond('DeploymentsHealthy', 'False', 'assisted-service is not ready')] })))
      .toStrictEqual({ status: 'Progressing', message: 'DeploymentsHealthy: assisted-service is not ready' });
    expect(runCheck(c, withStatus({ conditions: [cond('ReconcileCompleted', 'True')] })).status).toBe('Progressing');
    expect(runCheck(c, withStatus({})).status).toBe('Progressing');
  });

  test('rendered into the default ArgoCD instance, server-side and never deleted, for every hub CR kind we render', () => {
    const r = renderFleet('clusters');
    const instance = r.objects.find((o) => o.obj.kind === 'ArgoCD')!;
    expect(instance.path).toBe('argocd/argocd-openshift-gitops.yaml');
    expect(instance.obj.metadata).toMatchObject({ name: 'openshift-gitops', namespace: 'openshift-gitops' });
    expect(instance.obj.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('ServerSideApply=true,Delete=false,Prune=false');
    const checks = instance.obj.spec.resourceHealthChecks as { group: string; kind: string; check: string }[];
    expect(checks).toStrictEqual(HUB_HEALTH_CHECKS.map(({ group, kind, check }) => ({ group, kind, check })));
    // Every operator CR kind the hub renders has a check (Argo CD would call it Healthy as soon as it exists).
    const hubCrs = r.objects.filter((o) => o.path.startsWith('hub/') && ['MultiClusterEngine', 'MultiClusterHub', 'LVMCluster', 'AgentServiceConfig'].includes(o.obj.kind));
    expect(hubCrs.length).toBeGreaterThanOrEqual(3);
    for (const o of hubCrs) expect(checks.some((c) => c.kind === o.obj.kind && o.obj.apiVersion.startsWith(`${c.group}/`))).toBe(true);
  });
});
