/** The system under test as a file: schema, validation, `${…}` references, resources and the setup hook. */
export { sutObjectSchema, TAP_TYPES, TRIGGER_TYPES, type SutFileData, type SutFileInput, type TapType, type TriggerType } from './sut-schema.ts';
export { sutJsonSchema, renderSutJsonSchema, SUT_JSON_SCHEMA_PATH } from './json-schema.ts';
export { validateSutText, loadSutFile, resolveSut, resolveSutResources, resolveSutTaps, SutValidationError, type LoadedSut, type SutValidation } from './load-sut.ts';
export { createResolver, interpolate, parseReference, REF_KINDS, type InterpolationValues, type Reference, type RefKind, type Resolver } from './interpolate.ts';
export { validateSutFiles, SUT_INVALID_EXIT, type SutValidateOutput } from './validate-sut-files.ts';
export { createResources, SutResourceError, type CreateResourcesOptions, type CreatedResources } from './create-resources.ts';
export { runSetupHook, runLedgerHook, runPruneHook, SutSetupError, type SetupContext } from './run-setup-hook.ts';
export { prepareSut, prepareSutTaps, lookupRefs, refsUsed, type PrepareSutOptions, type PreparedSut } from './prepare-sut.ts';
export type * from './types.ts';
export { BUILTIN_SUT_FILE, sutFileOf } from './builtin-sut.ts';
export { addBuiltinPlumbing, bootstrapWithBuiltin, startWithBuiltin, type BuiltinPlumbingOptions } from './builtin-plumbing.ts';
