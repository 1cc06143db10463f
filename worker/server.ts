/**
 * `edgeplay/server`: the lobby service for a Worker to mount. Export `Lobby` and `Directory`
 * from the Worker's entry module (bound as `LOBBY` and `DIRECTORY`, SQLite storage) and pass
 * requests to `handleLobbyApi`; docs/kit.md shows a whole Worker.
 */

export { handleLobbyApi } from "./api.ts";
export type { LobbyApiOptions } from "./api-options.ts";
export { Directory } from "./directory/directory.ts";
export type { Env as LobbyEnv } from "./env.ts";
export { Lobby } from "./lobby/lobby.ts";
