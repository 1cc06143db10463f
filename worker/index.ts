/**
 * The edgeplay app: the lobby service (edgeplay/server) at /api; every other path is the built
 * game, served by the static-assets layer before this code runs (see wrangler.toml).
 */
import { type ApiError, ApiErrorCode } from "../shared/api.ts";
import type { Env } from "./env.ts";
import { apiError } from "./http.ts";
import { handleLobbyApi } from "./server.ts";

export { Directory, Lobby } from "./server.ts";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    return (
      (await handleLobbyApi(request, env, ctx)) ??
      apiError(404, ApiErrorCode.NotFound, "Nothing here; the game is served as static assets.")
    );
  },
  /**
   * An HTTP CONNECT (a request for a raw TCP tunnel) reaches this handler, not `fetch`. This
   * worker offers no tunnels: it says so in the API's error shape and closes, rather than
   * letting the runtime throw for a missing handler. (Under wrangler dev, Miniflare's own
   * entry worker answers CONNECT before this code runs.)
   */
  async connect(socket): Promise<void> {
    const refusal: ApiError = {
      error: ApiErrorCode.MethodNotAllowed,
      message: "This server opens no tunnels; use GET or POST under /api/.",
    };
    const writer = socket.writable.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(refusal)));
    await writer.close();
    await socket.close();
  },
} satisfies ExportedHandler<Env>;
