/**
 * The edgeplay worker: /api/* for lobbies and signaling; every other path is the built game,
 * served by the static-assets layer before this code runs (see wrangler.toml).
 */
import { type ApiError, ApiErrorCode } from "../shared/api.ts";
import { handleApi } from "./api.ts";
import type { Env } from "./env.ts";
import { apiError } from "./http.ts";

export { Directory } from "./directory/directory.ts";
export { Lobby } from "./lobby/lobby.ts";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith("/api/")) {
      return apiError(
        404,
        ApiErrorCode.NotFound,
        "Nothing here; the game is served as static assets.",
      );
    }
    try {
      return await handleApi(request, env, ctx);
    } catch (error) {
      console.error("api: request failed", error);
      return apiError(500, ApiErrorCode.Internal, "The server hit an error; nothing was changed.");
    }
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
