/**
 * The arena while in a lobby. Each frame it turns keys and pointer into a movement input for
 * the local simulation (the local avatar is predicted here, never waits for the network),
 * then draws every remote avatar where interpolation puts it now, the shared world's pickups,
 * a scoreboard with the match's clock, and the match's banner, countdown, results and podium,
 * with the effects and sounds of the match (../feel/). H toggles the network HUD. Text is
 * enlarged where the arena is drawn small, so it stays readable on a phone.
 */

import * as Phaser from "phaser";
import { ArenaFeel } from "../feel/arena-feel.ts";
import type { SoundBoard } from "../feel/sound-board.ts";
import { ARENA_HEIGHT } from "../sim/arena.ts";
import { inputFromKeys, inputTowards, type MoveInput, NO_INPUT } from "../sim/avatar.ts";
import { isTextEntry } from "../ui/dom.ts";
import { addArenaBackdrop } from "./arena-backdrop.ts";
import { AvatarSprite } from "./avatar-sprite.ts";
import type { HudToggle } from "./hud-toggle.ts";
import { isTouchFirst } from "./input-kind.ts";
import { MatchOverlay } from "./match-overlay.ts";
import { nameLifts } from "./name-lift.ts";
import { NetHud } from "./net-hud.ts";
import { colorForPeer } from "./peer-color.ts";
import { PickupLayer } from "./pickup-layer.ts";
import type { PlayView, RemoteAvatarView } from "./play-view.ts";
import { Scoreboard } from "./scoreboard.ts";
import { lateJoinText } from "./scoreboard-text.ts";
import { readableZoom } from "./text-zoom.ts";

export const PLAY_SCENE_KEY = "play";

interface DirectionKeys {
  readonly left: readonly Phaser.Input.Keyboard.Key[];
  readonly right: readonly Phaser.Input.Keyboard.Key[];
  readonly up: readonly Phaser.Input.Keyboard.Key[];
  readonly down: readonly Phaser.Input.Keyboard.Key[];
}

const HUD_FONT_PX = 13;
const HUD_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
  fontSize: `${HUD_FONT_PX}px`,
  color: "#9fb0e0",
  resolution: 2,
};

/** How long the note to a player who joined mid-match stays. */
const LATE_JOIN_NOTE_MS = 6000;

export class PlayScene extends Phaser.Scene {
  readonly #view: PlayView;
  readonly #hudToggle: HudToggle;
  readonly #sounds: SoundBoard;
  #feel: ArenaFeel | null = null;
  /** CSS pixels per arena unit, as the canvas was shown last frame. */
  #cssPerWorld = 1;
  #netHud: NetHud | null = null;
  #keys: DirectionKeys | null = null;
  #local: AvatarSprite | null = null;
  readonly #remotes = new Map<string, AvatarSprite>();
  #hud: Phaser.GameObjects.Text | null = null;
  #overlay: MatchOverlay | null = null;
  /** Whether the first world has been seen (a player who joins mid-match is told once). */
  #greeted = false;
  #pickups: PickupLayer | null = null;
  #scoreboard: Scoreboard | null = null;
  /** A phone has no keyboard, and a narrow arena: its line leads with how to steer. */
  readonly #touchFirst = isTouchFirst();

  constructor(view: PlayView, hudToggle: HudToggle, sounds: SoundBoard) {
    super({ key: PLAY_SCENE_KEY });
    this.#view = view;
    this.#hudToggle = hudToggle;
    this.#sounds = sounds;
  }

  create(): void {
    addArenaBackdrop(this);
    this.#keys = this.#bindKeys();
    const { self } = this.#view;
    this.#local = new AvatarSprite(this, self.name, colorForPeer(self.color), true);
    // Drawn on the floor, under pickups and avatars: it never hides anything that matters.
    this.#hud = this.add
      .text(12, ARENA_HEIGHT - 10, "", HUD_STYLE)
      .setOrigin(0, 1)
      .setDepth(0.2)
      .setAlpha(0.8);
    this.#pickups = new PickupLayer(this, this.#view.pickupRadius);
    this.#scoreboard = new Scoreboard(this);
    this.#overlay = new MatchOverlay(this);
    this.#feel = new ArenaFeel(this, this.#sounds);
    this.#netHud = new NetHud(this, this.#hudToggle, () => this.#view.network());
    // A DOM listener, not Phaser's keyboard: Phaser handles key events in its game step,
    // and a press between its update and the end of the step was seen to get lost.
    const onKeyDown = (event: KeyboardEvent): void => this.#onKeyDown(event);
    addEventListener("keydown", onKeyDown);
    const unlisten = (): void => removeEventListener("keydown", onKeyDown);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, unlisten);
    this.events.once(Phaser.Scenes.Events.DESTROY, unlisten);
  }

  override update(_time: number, deltaMs: number): void {
    // The netcode's clock: Phaser's frame time is a rAF timestamp, not performance.now().
    const now = performance.now();
    this.#cssPerWorld = 1 / this.scale.displayScale.x;
    const { player, self } = this.#view;
    // Sampled once per frame: the same positions are drawn and are what our avatar may not overlap.
    const remotes = this.#view.remoteAvatars(now);
    player.setInput(this.#readInput());
    player.advance(deltaMs, { selfId: self.id, others: remotes });
    this.#local?.moveTo(player.state.x, player.state.y);
    this.#local?.setTextScale(this.#cssPerWorld);
    this.#local?.setSpeaking(this.#view.selfSpeaking());
    this.#drawRemotes(remotes);
    this.#liftNames();
    this.#drawWorld(now);
    this.#drawHud();
    this.#netHud?.update(now, this.#cssPerWorld);
  }

  /** H toggles the network HUD, unless it is a letter typed into the chat or a shortcut. */
  #onKeyDown(event: KeyboardEvent): void {
    if (event.repeat || event.ctrlKey || event.altKey || event.metaKey || isTyping()) return;
    if (event.key === "h" || event.key === "H") this.#netHud?.toggle();
  }

  #bindKeys(): DirectionKeys | null {
    const keyboard = this.input.keyboard;
    if (!keyboard) return null;
    const { KeyCodes } = Phaser.Input.Keyboard;
    // No capture: the page's text fields must keep receiving W, A, S and D.
    const keys = (...codes: number[]) => codes.map((code) => keyboard.addKey(code, false));
    return {
      left: keys(KeyCodes.LEFT, KeyCodes.A),
      right: keys(KeyCodes.RIGHT, KeyCodes.D),
      up: keys(KeyCodes.UP, KeyCodes.W),
      down: keys(KeyCodes.DOWN, KeyCodes.S),
    };
  }

  #readInput(): MoveInput {
    const pointer = this.input.activePointer;
    if (pointer.isDown)
      return inputTowards(this.#view.player.state, pointer.worldX, pointer.worldY);
    const keys = this.#keys;
    if (!keys || isTyping()) return NO_INPUT;
    const held = (group: readonly Phaser.Input.Keyboard.Key[]) => group.some((key) => key.isDown);
    return inputFromKeys(held(keys.left), held(keys.right), held(keys.up), held(keys.down));
  }

  #drawWorld(nowMs: number): void {
    const world = this.#view.world(nowMs);
    const selfId = this.#view.self.id;
    const nameOf = (peerId: string): string => this.#view.playerName(peerId);
    const colorOf = (peerId: string): number | null => this.#view.playerColor(peerId);
    this.#pickups?.update(world?.pickups ?? [], nowMs);
    this.#scoreboard?.update(
      {
        ready: world?.ready ?? false,
        stage: world?.stage ?? "warmup",
        round: world?.round ?? 0,
        rounds: world?.rounds ?? 0,
        stageRemainingMs: world?.stageRemainingMs ?? null,
        scores: world?.scores ?? [],
        selfId,
        nameOf,
        colorOf,
      },
      this.#cssPerWorld,
    );
    this.#overlay?.update({ world, selfId, nameOf, colorOf }, nowMs, this.#cssPerWorld);
    this.#feel?.update(world, { selfId, colorOf }, nowMs, this.#cssPerWorld);
    if (!this.#greeted && world?.ready === true) {
      this.#greeted = true;
      const note = lateJoinText(world);
      if (note !== null) this.#overlay?.note(note, nowMs + LATE_JOIN_NOTE_MS);
    }
  }

  #drawRemotes(remotes: readonly RemoteAvatarView[]): void {
    const seen = new Set<string>();
    for (const remote of remotes) {
      seen.add(remote.id);
      let sprite = this.#remotes.get(remote.id);
      if (!sprite) {
        sprite = new AvatarSprite(this, remote.name, colorForPeer(remote.color), false);
        this.#remotes.set(remote.id, sprite);
      }
      sprite.rename(remote.name);
      sprite.setTextScale(this.#cssPerWorld);
      sprite.setFaded(!remote.connected);
      sprite.setSpeaking(remote.speaking);
      sprite.moveTo(remote.x, remote.y);
    }
    for (const [id, sprite] of this.#remotes) {
      if (seen.has(id)) continue;
      sprite.destroy();
      this.#remotes.delete(id);
    }
  }

  /** Names of avatars standing together are stacked, not drawn over each other or a disc. */
  #liftNames(): void {
    const sprites = [...this.#remotes];
    if (this.#local) sprites.push([this.#view.self.id, this.#local]);
    const lifts = nameLifts(
      sprites.map(([id, sprite]) => sprite.nameBox(id)),
      sprites.map(([, sprite]) => sprite.disc()),
    );
    for (const [id, sprite] of sprites) sprite.liftName(lifts.get(id) ?? 0);
  }

  #drawHud(): void {
    const { total, connected } = this.#view.peerCounts();
    const peers = `${connected}/${total} peers connected`;
    const text = this.#touchFirst
      ? `Hold a finger where to go  ·  ${peers}`
      : `Lobby ${this.#view.lobbyCode}  ·  ${peers}  ·  H: network`;
    if (this.#hud && this.#hud.text !== text) this.#hud.setText(text);
    this.#hud?.setScale(readableZoom(HUD_FONT_PX, this.#cssPerWorld));
  }
}

/** Keys typed into a text field are not meant for the avatar. */
function isTyping(): boolean {
  return isTextEntry(document.activeElement);
}
