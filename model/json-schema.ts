/**
 * JSON Schema of the input format, generated from the zod schemas, for editors (yaml-language-server).
 * Shape only: the cross-field rules (topology, unique MACs, network plan) are checked by `ztpfw validate`.
 */
import { z } from 'zod';
import { CLUSTER_ITEM_DOCS, describeKey } from './key-docs';
import { ClusterConfig, FleetConfig, Node, NODE_KEY } from './schema';

const toSchema = (s: z.ZodType) => {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
};

export function fleetJsonSchema(): Record<string, unknown> {
  const cluster = {
    type: 'object',
    description: 'An edge cluster: its nodes master0..masterN (1 or 3) and worker0..workerN, optional config and contrib.',
    properties: {
      config: { ...toSchema(ClusterConfig), description: describeKey(CLUSTER_ITEM_DOCS.config) },
      contrib: { type: ['object', 'null'], description: describeKey(CLUSTER_ITEM_DOCS.contrib) },
    },
    patternProperties: { [NODE_KEY.source]: { ...toSchema(Node), description: `A node: ${describeKey(CLUSTER_ITEM_DOCS['master0 …'])} ${describeKey(CLUSTER_ITEM_DOCS['worker0 …'])}` } },
    additionalProperties: false,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ztpfw-gitops.local/edgeclusters.schema.json',
    title: 'ztpfw edgeclusters.yaml',
    description: 'Fleet definition for ztpfw-gitops: a hub-level config and a list of edge clusters.',
    type: 'object',
    properties: {
      config: { ...toSchema(FleetConfig), description: 'Hub-level settings: versions, domain, registry, hub bundle, Argo CD source, and the defaults of the cluster settings.' },
      edgeclusters: {
        type: ['array', 'null'],
        description: 'One item per edge cluster: a map with one key, the cluster name (a DNS-1123 label).',
        items: {
          type: 'object',
          minProperties: 1,
          maxProperties: 1,
          propertyNames: { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
          additionalProperties: cluster,
        },
      },
    },
    additionalProperties: false,
  };
}
