/** The lobby's news about the lobby itself: roster, host, phase and chat (not signals or errors). */
import type { ServerMessage } from "../../../shared/protocol.ts";

export type LobbyEvent = Extract<
  ServerMessage,
  {
    type:
      | "peer-joined"
      | "peer-left"
      | "peer-disconnected"
      | "peer-reconnected"
      | "peer-ready"
      | "host-changed"
      | "phase-changed"
      | "chat";
  }
>;
