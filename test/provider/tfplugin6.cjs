'use strict';
/**
 * The subset of Terraform's plugin protocol 6 (protobuf package `tfplugin6`, service `Provider`)
 * that the test provider needs for one managed resource, plus go-plugin's
 * `plugin.GRPCController/Shutdown`. Names and field numbers are those of terraform's
 * tfplugin6.proto; fields a side does not know are skipped, so a subset interoperates.
 * Written as tables for protobuf.cjs rather than loaded from a .proto file: parsing a .proto at
 * every provider start costs about 0.2 s, and terraform starts a provider several times per command.
 */
const { service } = require('./protobuf.cjs');

const Empty = {};
const DynamicValue = { msgpack: [1, 'bytes'], json: [2, 'bytes'] };
const AttributePathStep = { attribute_name: [1, 'string'], element_key_string: [2, 'string'], element_key_int: [3, 'int64'] };
const AttributePath = { steps: [1, AttributePathStep, 'repeated'] };
// severity: 0 INVALID, 1 ERROR, 2 WARNING
const Diagnostic = { severity: [1, 'enum'], summary: [2, 'string'], detail: [3, 'string'], attribute: [4, AttributePath] };
const Diagnostics = (num) => ({ diagnostics: [num, Diagnostic, 'repeated'] });
const RawState = { json: [1, 'bytes'], flatmap: [2, { map: 'string' }] };

// Schema.Attribute.type is a JSON type expression such as "string".
const Attribute = {
  name: [1, 'string'],
  type: [2, 'bytes'],
  description: [3, 'string'],
  required: [4, 'bool'],
  optional: [5, 'bool'],
  computed: [6, 'bool'],
  sensitive: [7, 'bool'],
};
const Block = { version: [1, 'int64'], attributes: [2, Attribute, 'repeated'], description: [4, 'string'] };
const Schema = { version: [1, 'int64'], block: [2, Block] };

const messages = {
  GetProviderSchema: [Empty, { provider: [1, Schema], resource_schemas: [2, { map: Schema }], data_source_schemas: [3, { map: Schema }], ...Diagnostics(4) }],
  ValidateProviderConfig: [{ config: [1, DynamicValue] }, Diagnostics(2)],
  ValidateResourceConfig: [{ type_name: [1, 'string'], config: [2, DynamicValue] }, Diagnostics(1)],
  UpgradeResourceState: [
    { type_name: [1, 'string'], version: [2, 'int64'], raw_state: [3, RawState] },
    { upgraded_state: [1, DynamicValue], ...Diagnostics(2) },
  ],
  ConfigureProvider: [{ terraform_version: [1, 'string'], config: [2, DynamicValue] }, Diagnostics(1)],
  ReadResource: [
    { type_name: [1, 'string'], current_state: [2, DynamicValue], private: [3, 'bytes'] },
    { new_state: [1, DynamicValue], ...Diagnostics(2), private: [3, 'bytes'] },
  ],
  PlanResourceChange: [
    { type_name: [1, 'string'], prior_state: [2, DynamicValue], proposed_new_state: [3, DynamicValue], config: [4, DynamicValue], prior_private: [5, 'bytes'] },
    { planned_state: [1, DynamicValue], requires_replace: [2, AttributePath, 'repeated'], planned_private: [3, 'bytes'], ...Diagnostics(4) },
  ],
  ApplyResourceChange: [
    { type_name: [1, 'string'], prior_state: [2, DynamicValue], planned_state: [3, DynamicValue], config: [4, DynamicValue], planned_private: [5, 'bytes'] },
    { new_state: [1, DynamicValue], private: [2, 'bytes'], ...Diagnostics(3) },
  ],
  StopProvider: [Empty, { Error: [1, 'string'] }],
};

module.exports = {
  SEVERITY_ERROR: 1,
  ProviderService: service('tfplugin6.Provider', messages),
  ControllerService: service('plugin.GRPCController', { Shutdown: [Empty, Empty] }),
};
