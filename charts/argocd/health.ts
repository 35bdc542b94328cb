/**
 * Argo CD health checks for the hub operators' custom resources, so a sync wave waits until the CR is really up
 * instead of moving on as soon as it exists (Argo CD reports a CR without a health check as Healthy). Argo CD ships
 * checks for neither of them (argoproj/argo-cd `resource_customizations/` has no multicluster.openshift.io,
 * operator.open-cluster-management.io, lvm.topolvm.io or agent-install.openshift.io folder), so they are rendered
 * into the default instance's `ArgoCD` CR as `spec.resourceHealthChecks` (argoproj-labs/argocd-operator
 * `api/v1beta1/argocd_types.go` `ResourceHealthCheck{group, kind, check}`), which the operator writes into
 * `argocd-cm` as `resource.customizations.health.<group>_<kind>`.
 *
 * Each check maps the status values the operator's Go API defines; anything else (no status yet) is Progressing.
 * Argo CD runs them in gopher-lua (Lua 5.1): plain tables, `ipairs`, string comparison only.
 */

export interface HealthCheck {
  readonly group: string;
  readonly kind: string;
  /** Where the status values come from. */
  readonly source: string;
  readonly check: string;
}

/** `status.phase` mapped to a health: `phases` name the Healthy and Degraded values; the rest is Progressing. */
function phaseCheck(field: string, healthy: readonly string[], degraded: readonly string[]): string {
  const list = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');
  return [
    'local hs = { status = "Progressing", message = "waiting for status" }',
    `local healthy = { ${list(healthy)} }`,
    `local degraded = { ${list(degraded)} }`,
    `if obj.status ~= nil and obj.status.${field} ~= nil and obj.status.${field} ~= "" then`,
    `  local value = obj.status.${field}`,
    `  hs.message = "${field}: " .. value`,
    '  for _, v in ipairs(healthy) do if value == v then hs.status = "Healthy" end end',
    '  for _, v in ipairs(degraded) do if value == v then hs.status = "Degraded" end end',
    'end',
    'return hs',
    '',
  ].join('\n');
}

/**
 * Conditions: Healthy when every `required` condition is True, else Progressing with the first one that is not.
 * Never Degraded: a Degraded resource fails the sync wave (gitops-engine `pkg/sync/sync_context.go`), and these
 * conditions are also False while the operator is still rolling out, which only waiting can tell apart.
 */
function conditionsCheck(required: readonly string[]): string {
  const list = required.map((x) => `"${x}"`).join(', ');
  return [
    'local hs = { status = "Progressing", message = "waiting for conditions" }',
    `local required = { ${list} }`,
    'if obj.status == nil or obj.status.conditions == nil then return hs end',
    'for _, want in ipairs(required) do',
    '  local ok = false',
    '  for _, c in ipairs(obj.status.conditions) do',
    '    if c.type == want and c.status == "True" then ok = true end',
    '    if c.type == want and c.status ~= "True" and c.message ~= nil then hs.message = want .. ": " .. c.message end',
    '  end',
    '  if not ok then return hs end',
    'end',
    'hs.status = "Healthy"',
    'hs.message = table.concat(required, ", ") .. " True"',
    'return hs',
    '',
  ].join('\n');
}

/** The health checks rendered for the hub's operator CRs. */
export const HUB_HEALTH_CHECKS: readonly HealthCheck[] = [
  {
    group: 'multicluster.openshift.io',
    kind: 'MultiClusterEngine',
    // PhaseType: Progressing, Available, Error.
    source: 'stolostron/backplane-operator api/v1/multiclusterengine_types.go (PhaseType)',
    check: phaseCheck('phase', ['Available'], ['Error']),
  },
  {
    group: 'operator.open-cluster-management.io',
    kind: 'MultiClusterHub',
    // HubPhaseType: Pending, Paused, Running, Installing, Updating, Uninstalling, UpdatingBlocked, Error.
    source: 'stolostron/multiclusterhub-operator api/v1/multiclusterhub_types.go (HubPhaseType)',
    check: phaseCheck('phase', ['Running'], ['Error']),
  },
  {
    group: 'lvm.topolvm.io',
    kind: 'LVMCluster',
    // LVMStateType: Progressing, Ready, Failed, Degraded (Unknown in newer releases).
    source: 'openshift/lvm-operator api/v1alpha1/lvmcluster_types.go (LVMStateType)',
    check: phaseCheck('state', ['Ready'], ['Failed', 'Degraded']),
  },
  {
    group: 'agent-install.openshift.io',
    kind: 'AgentServiceConfig',
    // ReconcileCompleted and DeploymentsHealthy.
    source: 'openshift/assisted-service api/v1beta1/agentserviceconfig_types.go (ConditionReconcileCompleted, ConditionDeploymentsHealthy)',
    check: conditionsCheck(['ReconcileCompleted', 'DeploymentsHealthy']),
  },
];
