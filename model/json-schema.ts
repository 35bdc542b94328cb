/**
 * JSON Schema of the input format, generated from the zod schemas, for editors (yaml-language-server).
 * Shape only: the cross-field rules (topology, unique MACs, network plan) are checked by `ztpfw validate`.
 */
import { z } from 'zod';
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
      config: toSchema(ClusterConfig),
      contrib: { type: ['object', 'null'], description: 'Optional extras, e.g. gpu-operator: {version: v1.10.1}.' },
    },
    patternProperties: { [NODE_KEY.source]: toSchema(Node) },
    additionalProperties: false,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://ztpfw-gitops.local/edgeclusters.schema.json',
    title: 'ztpfw edgeclusters.yaml',
    description: 'Fleet definition for ztpfw-gitops: a hub-level config and a list of edge clusters.',
    type: 'object',
    properties: {
      config: toSchema(FleetConfig),
      edgeclusters: {
        type: ['array', 'null'],
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
