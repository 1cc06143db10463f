/**
 * The game's top level: turns menu and panel actions into API calls and session commands,
 * keeps the screen, the address bar and the Phaser stage in step, and answers
 * `edgeplay.snapshot()`.
 */

import { LobbyApi, type Seat, type Voice } from "edgeplay/client";
import { type LobbyPhase, normalizeLobbyCode } from "edgeplay/protocol";
import type { GameSnapshot } from "./debug.ts";
import { devSwitchesFromSearch } from "./dev-switches.ts";
import { HudToggle } from "./scenes/hud-toggle.ts";
import { isTouchFirst } from "./scenes/input-kind.ts";
import type { Stage } from "./scenes/stage.ts";
import { type ChatSendResult, GameSession, type SessionEnd } from "./session/game-session.ts";
import {
  creatingStatus,
  joiningStatus,
  leftByNavigationStatus,
  quickJoinStatus,
} from "./session/status-text.ts";
import { forgetTabStay, keepStayInTab, loadTabStay, type TabStay } from "./session/tab-stay.ts";
import { linkHere, lobbyParam, showLobbyInAddress } from "./ui/address-bar.ts";
import { apiErrorText } from "./ui/api-error-text.ts";
import { checkCreateRequest } from "./ui/create-request.ts";
import { DirectoryPoller } from "./ui/directory-poller.ts";
import { modeLabel } from "./ui/game-modes.ts";
import { codeFromJoinInput } from "./ui/join-code-input.ts";
import { buildPanelModel } from "./ui/lobby-panel-model.ts";
import { LobbyScreen } from "./ui/lobby-screen.ts";
import type { CreateForm } from "./ui/menu-view.ts";
import { checkPlayerName, loadPlayerName, savePlayerName } from "./ui/player-name.ts";
import { peerVoiceBadge, selfVoiceBadge } from "./ui/voice-panel-model.ts";

/** Oldest errors are forgotten beyond this, so a long session cannot grow the list forever. */
const MAX_REMEMBERED_ERRORS = 50;
/** The snapshot's chat and notices: the newest this many. */
const SNAPSHOT_LOG_ENTRIES = 50;

export class App {
  readonly #screen: LobbyScreen;
  readonly #stage: Stage;
  readonly #poller: DirectoryPoller;
  readonly #devSwitches = devSwitchesFromSearch(location.search);
  /** The lobby service is the page's own origin. */
  readonly #api = new LobbyApi({ server: location.origin });
  /** The network HUD's switch: kept across sessions, since whoever turned it on wants it. */
  readonly #hud = new HudToggle();
  readonly #errors: string[] = [];
  #session: GameSession | null = null;
  /** The session `pagehide` ended, in case the page comes back from the back/forward cache. */
  #leftOnPageHide: GameSession | null = null;
  /** True from a click on create/join until the session starts or the attempt fails. */
  #busy = false;
  #joinStartedAt: number | null = null;
  /** The link the lobby panel shares for the current session. */
  #shareUrl = "";
  #lastLocal = { x: 0, y: 0, seq: 0 };

  constructor(doc: Document, stage: Stage) {
    this.#stage = stage;
    this.#screen = new LobbyScreen(doc, {
      create: (form) => void this.create(form),
      join: (code, name) => this.join(code, name),
      leaveJoinStep: (code) => this.#leaveJoinStep(code),
      quickJoin: (name, mode) => void this.quickJoin(name, mode),
      refreshLobbies: () => this.#refreshLobbies(),
      leave: () => this.leave(),
      setReady: (ready) => this.#command((session) => session.setReady(ready)),
      setPhase: (phase: LobbyPhase) => this.#command((session) => session.setPhase(phase)),
      endRound: () => this.#command((session) => session.endRound()),
      kick: (peerId) => this.#command((session) => session.kick(peerId)),
      sendChat: (text) => this.#sendChat(text),
      voice: {
        toggle: () =>
          this.#withVoice((voice) => {
            if (voice.state.phase === "on") voice.disable();
            else void voice.enable();
          }),
        press: () => this.#withVoice((voice) => voice.press()),
        release: () => this.#withVoice((voice) => voice.release()),
        toggleMute: () => this.#withVoice((voice) => voice.setMuted(!voice.state.muted)),
        toggleDeafen: () => this.#withVoice((voice) => voice.setDeafened(!voice.state.deafened)),
        toggleMode: () =>
          this.#withVoice((voice) =>
            voice.setMode(voice.state.mode === "open" ? "push-to-talk" : "open"),
          ),
        setPeerVolume: (peerId, volume) =>
          this.#withVoice((voice) => voice.setVolume(peerId, volume)),
        togglePeerMute: (peerId) =>
          this.#withVoice((voice) => voice.setPeerMuted(peerId, !voice.peer(peerId).muted)),
      },
    });
    const lobbies = this.#screen.menu.publicLobbies;
    this.#poller = new DirectoryPoller({
      fetchListing: () => this.#api.listPublicLobbies(),
      onLoading: (loading) => lobbies.setLoading(loading),
      onResult: (result) => {
        if (result.ok) lobbies.show(result.value.lobbies);
        else lobbies.showError(`Could not load public lobbies. ${apiErrorText(result)}`);
      },
    });
    addEventListener("pagehide", (event) => this.#onPageHide(event.persisted));
    addEventListener("pageshow", (event) => {
      if (event.persisted) this.#returnFromBackForwardCache();
    });
  }

  /**
   * Prefills the menu. A `?lobby=CODE` address asks for a name first, unless this tab was in
   * that lobby before a reload: then it takes its seat back straight away.
   */
  start(): void {
    this.#screen.menu.playerName = loadPlayerName();
    const param = lobbyParam();
    const code = param === null ? null : normalizeLobbyCode(param);
    if (param === null || code === null) {
      this.#showMenu();
      this.#poller.start();
      if (param === null) return;
      // A broken link should not show its error again on every reload.
      showLobbyInAddress(null);
      this.#showError(notALobbyCodeText(param));
      return;
    }
    // The public list waits while a link is being joined: that request comes first.
    const stay = loadTabStay(code);
    if (stay) {
      this.#showMenu();
      this.join(code, stay.name, stay);
      return;
    }
    // The name used last (or a made-up one, the first time), ready to change or to take.
    this.#screen.showJoinStep(code, this.#screen.menu.playerName);
    this.#stage.refreshLayout();
  }

  async create(form: CreateForm): Promise<void> {
    const settings = checkCreateRequest(form);
    if (!settings.ok) {
      this.#showError(settings.message);
      return;
    }
    const name = this.#beginAttempt(form.playerName);
    if (name === null) return;
    this.#screen.setStatus(creatingStatus());
    const created = await this.#api.createLobby(settings.request);
    if (!created.ok) {
      this.#failAttempt(`Could not create a lobby. ${apiErrorText(created)}`);
      return;
    }
    showLobbyInAddress(created.value.code);
    this.#enterLobby(created.value.code, name, created.value.joinUrl);
  }

  /** Joins by code or link; with `stay`, takes back the seat this tab held before a reload. */
  join(codeInput: string, nameInput: string, stay?: TabStay): void {
    const code = codeFromJoinInput(codeInput);
    if (code === null) {
      this.#showError(notALobbyCodeText(codeInput));
      return;
    }
    this.#screen.menu.joinCode = code;
    const name = this.#beginAttempt(nameInput);
    if (name === null) return;
    // No lookup before the socket: the socket itself turns away a lobby that is gone (4013) or
    // full (4001). The socket opens first; the lookup follows, for the share link on the
    // advertised origin, and the address bar after it (both take the main thread a while).
    const session = this.#enterLobby(code, name, null, stay?.seat);
    void this.#api.getLobbyInfo(code).then((info) => {
      if (info.ok) this.#shareLink(session, info.value.joinUrl);
    });
    showLobbyInAddress(code);
    if (stay) session.log.restoreChat(stay.chat);
  }

  async quickJoin(nameInput: string, mode: string): Promise<void> {
    const name = this.#beginAttempt(nameInput);
    if (name === null) return;
    this.#screen.setStatus(quickJoinStatus());
    const found = await this.#api.quickJoin(mode);
    if (!found.ok) {
      this.#failAttempt(`Quick join did not work. ${apiErrorText(found)}`);
      return;
    }
    const { code, created, joinUrl } = found.value;
    this.#screen.menu.joinCode = code;
    showLobbyInAddress(code);
    const session = this.#enterLobby(code, name, joinUrl);
    if (created) {
      session.log.note(
        "No public lobby had a free seat, so Quick join made a new public one. Others will find it in the list.",
        Date.now(),
      );
    }
  }

  /** Leaves on the player's request: `leave`, socket closed with 1000, peers closed. */
  leave(): void {
    const session = this.#session;
    if (!session) return;
    this.#rememberLocal(session);
    session.leave();
    this.#session = null;
    forgetTabStay();
    showLobbyInAddress(null);
    this.#backToMenu(session.lobbyCode);
    this.#screen.clearError();
    this.#screen.setStatus("You left the lobby.");
  }

  /**
   * A page that unloads (a reload, a closed tab) keeps its seat: the lobby holds it for its
   * grace window, for this tab's reload to take back. Two cases leave, so others see "left" now:
   * a page the browser keeps in memory (back/forward cache), where the player went elsewhere;
   * and the host of a lobby with others in it, whose shared world lives in this page: a reloaded
   * host would start a new world that the others' copies ignore (world/README.md, migration),
   * while leaving hands the world on to the next host.
   */
  #onPageHide(persisted: boolean): void {
    const session = this.#session;
    if (!session) return;
    const { room } = session;
    const holdsTheWorld = room.isHost && room.roster.length > 1;
    if (!persisted && !holdsTheWorld) return;
    session.leave();
    forgetTabStay();
    this.#leftOnPageHide = session;
  }

  /** From the join step to the menu, with the link's code in the join box. */
  #leaveJoinStep(code: string): void {
    showLobbyInAddress(null);
    this.#backToMenu(code);
  }

  /**
   * Back (or forward) to a page the browser kept in memory: the stay ended on `pagehide` and the
   * others were told we left. We show the menu, not a silent rejoin: the player chose to go
   * elsewhere, a rejoin would be a new arrival announced to everyone (and the seat may be
   * taken by now), and the lobby's code is ready in the join box for one click back in.
   */
  #returnFromBackForwardCache(): void {
    const session = this.#leftOnPageHide;
    this.#leftOnPageHide = null;
    if (!session || this.#session !== session) return;
    this.#rememberLocal(session);
    this.#session = null;
    this.#backToMenu(session.lobbyCode);
    this.#screen.clearError();
    this.#screen.setStatus(leftByNavigationStatus(session.lobbyCode), "warning");
  }

  snapshot(): GameSnapshot {
    const session = this.#session;
    if (session) this.#rememberLocal(session);
    const room = session?.room;
    const welcomed = room?.selfId != null;
    const log = session?.log.entries ?? [];
    return {
      lobby: session?.joinedLobby ?? null,
      peerId: room?.selfId ?? null,
      joinStartedAt: this.#joinStartedAt,
      welcomedAt: room?.welcomedAt ?? null,
      local: { ...this.#lastLocal },
      peers: session?.peerSnapshots() ?? [],
      errors: [...this.#errors],
      connection: room?.connection ?? "closed",
      reconnectAttempt: room?.reconnectAttempt ?? 0,
      reconnects: room?.reconnects ?? 0,
      settings: room?.settings ?? null,
      phase: welcomed ? (room?.phase ?? null) : null,
      hostId: room?.hostId ?? null,
      hostEpoch: welcomed ? (room?.hostEpoch ?? null) : null,
      roster: (room?.roster ?? []).map(({ id, name, color, joinOrder, ready, connected }) => ({
        id,
        name,
        color,
        joinOrder,
        ready,
        connected,
      })),
      chat: log
        .flatMap((entry) =>
          entry.kind === "chat"
            ? [{ from: entry.from, name: entry.name, text: entry.text, at: entry.at }]
            : [],
        )
        .slice(-SNAPSHOT_LOG_ENTRIES),
      notices: log
        .flatMap((entry) => (entry.kind === "notice" ? [entry.text] : []))
        .slice(-SNAPSHOT_LOG_ENTRIES),
      ice: room ? room.ice : null,
      transport: this.#devSwitches.transport,
      hudVisible: this.#hud.visible,
      world: session?.worldSnapshot() ?? null,
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
    this.#screen.menu.playerName = checked.name;
    this.#screen.clearError();
    this.#busy = true;
    this.#screen.setBusy(true);
    this.#joinStartedAt = performance.timeOrigin + performance.now();
    return checked.name;
  }

  #failAttempt(message: string): void {
    this.#busy = false;
    // From the join step too: the error sits next to every other way into a game.
    this.#showMenu();
    this.#screen.setStatus("");
    this.#showError(message);
    // Fresh choices next to the error (a lobby that was full or gone may still be listed).
    this.#refreshLobbies();
  }

  /** Loads the public list now, and keeps it fresh while the menu shows. */
  #refreshLobbies(): void {
    if (this.#poller.running) void this.#poller.refresh();
    else this.#poller.start();
  }

  /**
   * `joinUrl`: the lobby's link to share, as the server built it (on its advertised origin);
   * `resume`: the seat this tab held before a reload.
   */
  #enterLobby(
    code: string,
    playerName: string,
    joinUrl: string | null,
    resume?: Seat,
  ): GameSession {
    this.#screen.setStatus(joiningStatus(code));
    // Until the server's link arrives (see #shareLink), this page's own.
    this.#shareUrl = joinUrl ?? linkHere(code);
    const session = new GameSession({
      lobbyCode: code,
      playerName,
      connect: {
        server: location.origin,
        ...this.#devSwitches,
        ...(resume === undefined ? {} : { resume }),
      },
      events: {
        onStatus: (text, tone) => {
          if (this.#session === session) this.#screen.setStatus(text, tone);
        },
        onEntered: (view) => {
          if (this.#session !== session) return;
          this.#busy = false;
          if (this.#screen.mode !== "session") {
            this.#poller.stop();
            this.#screen.showSession(code, this.#shareUrl);
            this.#stage.refreshLayout();
          }
          this.#stage.showPlay(view, this.#hud);
          this.#renderPanel();
        },
        onLobbyChanged: () => {
          if (this.#session === session) this.#renderPanel();
        },
        onProblem: (message) => {
          if (this.#session === session) this.#showError(message);
        },
        onEnded: (end) => this.#onSessionEnded(session, end),
      },
    });
    this.#session = session;
    keepStayInTab(session);
    return session;
  }

  /** The server's share link for the lobby of `session` (on its advertised origin) is known. */
  #shareLink(session: GameSession, joinUrl: string): void {
    if (this.#session !== session) return;
    this.#shareUrl = joinUrl;
    if (this.#screen.mode === "session") this.#screen.panel.showShareLink(joinUrl);
  }

  #renderPanel(): void {
    const session = this.#session;
    if (!session || this.#screen.mode !== "session") return;
    const { room } = session;
    this.#screen.panel.render(
      buildPanelModel({
        selfId: room.selfId,
        settings: room.settings,
        phase: room.phase,
        stage: session.matchStage,
        hostId: room.hostId,
        roster: room.roster,
        log: session.log.entries,
        connection: room.connection,
        chatError: session.chatError,
        modeLabel,
        isLinkOpen: (peerId) => room.reachable(peerId),
        voiceBadge: (peerId) =>
          peerId === room.selfId
            ? selfVoiceBadge(room.voice.state, room.voice.transmitting)
            : peerVoiceBadge(room.voice.peer(peerId), room.voice.state.phase === "on"),
        voice: {
          state: room.voice.state,
          transmitting: room.voice.transmitting,
          supported: room.voice.supported,
          touch: isTouchFirst(),
          canMix: room.voice.canMix,
          proximity: room.settings?.voice === "proximity",
          peers: room.roster.flatMap((player) =>
            player.id === room.selfId
              ? []
              : [{ id: player.id, name: player.name, voice: room.voice.peer(player.id) }],
          ),
        },
      }),
    );
  }

  /** Voice acts on the room we are in; outside a lobby there is none. */
  #withVoice(act: (voice: Voice) => void): void {
    const voice = this.#session?.room.voice;
    if (voice) act(voice);
  }

  /** Runs a lobby command; says so when it could not be sent. */
  #command(send: (session: GameSession) => boolean): void {
    const session = this.#session;
    if (!session) return;
    if (!send(session)) {
      this.#showError("Not connected to the lobby right now. Try again in a moment.");
    }
  }

  #sendChat(text: string): ChatSendResult {
    return this.#session?.sendChat(text) ?? { ok: false, reason: "" };
  }

  #onSessionEnded(session: GameSession, end: SessionEnd): void {
    if (this.#session !== session) return;
    this.#rememberLocal(session);
    this.#session = null;
    forgetTabStay();
    // A lobby that is gone, full or has removed us will not take us back: a reload should not try.
    if (!end.rejoin) showLobbyInAddress(null);
    this.#backToMenu(session.lobbyCode);
    this.#screen.setStatus("");
    this.#showError(end.rejoin ? `${end.message} Press Join to try again.` : end.message);
  }

  #backToMenu(code: string): void {
    this.#busy = false;
    this.#stage.showIdle();
    this.#showMenu();
    this.#poller.start();
    this.#screen.menu.joinCode = code;
  }

  #showMenu(): void {
    this.#screen.showMenu();
    this.#stage.refreshLayout();
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

/** What the player typed or pasted into the join box has no lobby code in it. */
function notALobbyCodeText(input: string): string {
  return `"${input.trim()}" is not a lobby code or a join link. Codes have 6 letters and digits, like 7KX2QM.`;
}
