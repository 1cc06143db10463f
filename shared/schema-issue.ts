/** The first problem a valibot parse found, in the words every error message here uses. */
import * as v from "valibot";

export interface SchemaIssue {
  /** Where, as a dot path (`settings.maxPlayers`), or `whole` for the value itself. */
  readonly path: string;
  /** valibot's sentence: may quote the value it received. */
  readonly message: string;
  /** The kind of check that failed (`min_length`, `object`, …): never quotes the value. */
  readonly kind: string;
}

export function firstIssue(issues: readonly v.BaseIssue<unknown>[], whole: string): SchemaIssue {
  const [issue] = issues;
  return {
    path: issue ? (v.getDotPath(issue) ?? whole) : whole,
    message: issue?.message ?? "invalid",
    kind: issue?.type ?? "unknown",
  };
}
