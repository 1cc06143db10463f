/** What a player reads when a lobby API request failed: the kit's codes, in words. */

import { type ApiFailure, ApiFailureCode } from "edgeplay/client";
import { ApiErrorCode } from "edgeplay/protocol";

/** Codes for a request the server could not read: our fault (an old page), not the player's. */
const REQUEST_FAULTS: ReadonlySet<string> = new Set([
  ApiErrorCode.InvalidRequest,
  ApiErrorCode.BadJson,
]);

export function apiErrorText(failure: ApiFailure): string {
  switch (failure.error) {
    case ApiFailureCode.Network:
      return "Could not reach the lobby server. Check your connection.";
    case ApiFailureCode.Timeout:
      return "The lobby server did not answer in time. Check your connection.";
    case ApiFailureCode.RateLimited: {
      const wait =
        failure.retryAfterMs === undefined
          ? "a minute"
          : `about ${Math.ceil(failure.retryAfterMs / 1000)} s`;
      return `The lobby server is busy with too many requests from your network. Wait ${wait} and try again.`;
    }
    case ApiFailureCode.Http:
      return failure.status >= 500
        ? `The lobby server is unavailable right now (HTTP ${failure.status}). Try again in a moment.`
        : `The lobby server gave an unexpected answer (HTTP ${failure.status}). Reload the page and try again.`;
    case ApiFailureCode.BadResponse:
      return "The lobby server sent an unexpected answer.";
    default:
      break;
  }
  if (REQUEST_FAULTS.has(failure.error)) {
    // The field-level detail is for developers: a page from an older build, say.
    console.warn(`lobby server refused the request (${failure.error}): ${failure.detail ?? ""}`);
    return "The lobby server could not read this page's request. Reload the page (it may have been updated) and try again.";
  }
  // The server's own sentence (docs/protocol.md lists them) reads well as it is.
  return failure.detail ?? "The lobby server refused the request.";
}
