/**
 * The game's top level: turns menu actions into API calls and game sessions, keeps the
 * screen, the address bar and the Phaser stage in step, and answers `edgeplay.snapshot()`.
 */
import { apiPaths } from "../shared/api.ts";
import { normalizeLobbyCode } from "../shared/lobby-code.ts";
import type { GameSnapshot } from "./debug.ts";
import { epochNow } from "./net/epoch-now.ts";
import { createLobby, getLobbyInfo } from "./net/lobby-api.ts";
import { lobbySocketUrl } from "./net/lobby-connection.ts";
import type { Stage } from "./scenes/stage.ts";
import { GameSession, type SessionEnd } from "./session/game-session.ts";
import { creatingStatus, joiningStatus } from "./session/status-text.ts";
import { lobbyParam, shareUrl, showLobbyInAddress } from "./ui/address-bar.ts";
import { LobbyScreen } from "./ui/lobby-screen.ts";
import { checkPlayerName, loadPlayerName, savePlayerName } from "./ui/player-name.ts";

/** Oldest errors are forgotten beyond this, so a long session cannot grow the list forever. */
const MAX_REMEMBERED_ERRORS = 50;

export class App {
  readonly #screen: LobbyScreen;
  readonly #stage: Stage;
  readonly #errors: string[] = [];
  #session: GameSession | null = null;
  /** True from a click on create/join until the session starts or the attempt fails. */
  #busy = false;
  #joinStartedAt: number | null = null;
  #lastLocal = { x: 0, y: 0, seq: 0 };

  constructor(doc: Document, stage: Stage) {
    this.#stage = stage;
    this.#screen = new LobbyScreen(doc, {
      create: (name) => void this.create(name),
      join: (code, name) => void this.join(code, name),
      leave: () => this.leave(),
    });
  }

  /** Prefills the menu and, for a `?lobby=CODE` address, joins that lobby straight away. */
  start(): void {
    this.#screen.playerName = loadPlayerName();
    this.#screen.showMenu();
    const param = lobbyParam();
    if (!param) return;
    // A broken link should not show its error again on every reload.
    if (normalizeLobbyCode(param) === null) showLobbyInAddress(null);
    void this.join(param, this.#screen.playerName);
  }

  async create(nameInput: string): Promise<void> {
    const name = this.#beginAttempt(nameInput);
    if (name === null) return;
    this.#screen.setStatus(creatingStatus());
    const created = await createLobby();
    if (!created.ok) {
      this.#failAttempt(`Could not create a lobby: ${created.message}`);
      return;
    }
    showLobbyInAddress(created.value.code);
    this.#enterLobby(created.value.code, name);
  }

  async join(codeInput: string, nameInput: string): Promise<void> {
    const code = normalizeLobbyCode(codeInput);
    if (code === null) {
      this.#showError(
        `"${codeInput.trim().toUpperCase()}" is not a lobby code. Codes have 6 letters and digits, like 7KX2QM.`,
      );
      return;
    }
    this.#screen.joinCode = code;
    const name = this.#beginAttempt(nameInput);
    if (name === null) return;
    this.#screen.setStatus(joiningStatus(code));
    const info = await getLobbyInfo(code);
    if (!info.ok) {
      const notFound = info.status === 404;
      if (notFound) showLobbyInAddress(null);
      this.#failAttempt(
        notFound
          ? `Lobby ${code} was not found. Check the code, or create a new lobby.`
          : `Could not join ${code}: ${info.message}`,
      );
      return;
    }
    if (info.value.full) {
      showLobbyInAddress(null);
      this.#failAttempt(`Lobby ${code} is full (${info.value.maxPlayers} players).`);
      return;
    }
    showLobbyInAddress(code);
    this.#enterLobby(code, name);
  }

  /** Leaves on the player's request: `leave`, socket closed with 1000, peers closed. */
  leave(): void {
    const session = this.#session;
    if (!session) return;
    this.#rememberLocal(session);
    session.leave();
    this.#session = null;
    showLobbyInAddress(null);
    this.#backToMenu(session.lobbyCode);
    this.#screen.clearError();
    this.#screen.setStatus("You left the lobby.");
  }

  snapshot(): GameSnapshot {
    const session = this.#session;
    if (session) this.#rememberLocal(session);
    return {
      lobby: session?.joinedLobby ?? null,
      peerId: session?.peerId ?? null,
      joinStartedAt: this.#joinStartedAt,
      welcomedAt: session?.welcomedAt ?? null,
      local: { ...this.#lastLocal },
      peers: session?.peerSnapshots() ?? [],
      errors: [...this.#errors],
    };
  }

  /** Checks the name and locks the menu; returns the name to use, or null to stop here. */
  #beginAttempt(nameInput: string): string | null {
    if (this.#busy || this.#session) return null;
    const checked = checkPlayerName(nameInput);
    if (!checked.ok) {
      this.#showError(checked.message);
      return null;
    }
    savePlayerName(checked.name);
    this.#screen.playerName = checked.name;
    this.#screen.clearError();
    this.#busy = true;
    this.#screen.setBusy(true);
    this.#joinStartedAt = epochNow();
    return checked.name;
  }

  #failAttempt(message: string): void {
    this.#busy = false;
    this.#screen.setBusy(false);
    this.#screen.setStatus("");
    this.#showError(message);
  }

  #enterLobby(code: string, playerName: string): void {
    this.#screen.setStatus(joiningStatus(code));
    const session = new GameSession({
      lobbyCode: code,
      playerName,
      socketUrl: lobbySocketUrl(apiPaths.socket(code), location),
      events: {
        onStatus: (text) => {
          if (this.#session === session) this.#screen.setStatus(text);
        },
        onWelcome: (view) => {
          this.#busy = false;
          this.#screen.showSession(code, shareUrl(code));
          this.#stage.showPlay(view);
        },
        onProblem: (message) => this.#showError(message),
        onEnded: (end) => this.#onSessionEnded(session, end),
      },
    });
    this.#session = session;
  }

  #onSessionEnded(session: GameSession, end: SessionEnd): void {
    if (this.#session !== session) return;
    this.#rememberLocal(session);
    this.#session = null;
    // A lobby that is gone or full will not take us back: a reload should not try again.
    if (!end.retry) showLobbyInAddress(null);
    this.#backToMenu(session.lobbyCode);
    this.#screen.setStatus("");
    this.#showError(end.retry ? `${end.message} Press Join to try again.` : end.message);
  }

  #backToMenu(code: string): void {
    this.#busy = false;
    this.#stage.showIdle();
    this.#screen.showMenu();
    this.#screen.joinCode = code;
  }

  #rememberLocal(session: GameSession): void {
    const { x, y } = session.player.state;
    this.#lastLocal = { x, y, seq: session.seq };
  }

  #showError(message: string): void {
    this.#errors.push(message);
    if (this.#errors.length > MAX_REMEMBERED_ERRORS) this.#errors.shift();
    this.#screen.showError(message);
  }
}
