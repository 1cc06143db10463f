/**
 * The part of Standard Schema v1 (standardschema.dev) the kit relies on: a schema object with
 * a `~standard` property whose `validate` returns the value or issues. valibot, zod and
 * arktype schemas all fit, so the kit validates actions without depending on any of them.
 */

export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

export interface StandardSchemaProps<Input, Output> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (
    value: unknown,
  ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** Types only, never present at run time; lets the input and output be inferred. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined;
}

export type SyncValidation<Output> =
  | { readonly ok: true; readonly value: Output }
  | { readonly ok: false; readonly issues: readonly StandardSchemaIssue[] };

const ASYNC_ISSUES: readonly StandardSchemaIssue[] = [
  { message: "the schema validates asynchronously; actions need a synchronous one" },
];
const THREW_ISSUES: readonly StandardSchemaIssue[] = [{ message: "the schema failed to run" }];

/**
 * Runs the schema synchronously and never throws: a Promise result (an async schema) and a
 * validator that throws both count as failures, with an issue saying so.
 */
export function validateSync<Input, Output>(
  schema: StandardSchemaV1<Input, Output>,
  value: unknown,
): SyncValidation<Output> {
  try {
    const result = schema["~standard"].validate(value);
    if (result instanceof Promise) {
      // Nobody waits for it; keep a rejection from surfacing as unhandled.
      result.catch(() => {});
      return { ok: false, issues: ASYNC_ISSUES };
    }
    return result.issues === undefined
      ? { ok: true, value: result.value }
      : { ok: false, issues: result.issues };
  } catch {
    // A validator that throws, or answers with something that is not a result.
    return { ok: false, issues: THREW_ISSUES };
  }
}
