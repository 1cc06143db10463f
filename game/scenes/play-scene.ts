/**
 * The arena while in a lobby. Each frame it turns keys and pointer into a movement input for
 * the local simulation, then draws the local avatar and every remote one at its latest state.
 */
import * as Phaser from "phaser";
import type { LobbyPhase } from "../../shared/protocol.ts";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";
import { inputFromKeys, inputTowards, type MoveInput, NO_INPUT } from "../sim/avatar.ts";
import { addArenaBackdrop } from "./arena-backdrop.ts";
import { AvatarSprite } from "./avatar-sprite.ts";
import { colorForPeer } from "./peer-color.ts";
import type { PlayView } from "./play-view.ts";

export const PLAY_SCENE_KEY = "play";

interface DirectionKeys {
  readonly left: readonly Phaser.Input.Keyboard.Key[];
  readonly right: readonly Phaser.Input.Keyboard.Key[];
  readonly up: readonly Phaser.Input.Keyboard.Key[];
  readonly down: readonly Phaser.Input.Keyboard.Key[];
}

const HUD_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
  fontSize: "14px",
  color: "#9fb0e0",
  resolution: 2,
};

const BANNER_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  fontSize: "22px",
  fontStyle: "bold",
  color: "#e8ecff",
  stroke: "#0b0e1a",
  strokeThickness: 6,
  align: "center",
  resolution: 2,
};

/** A line across the top of the arena in the phases where the round is not running. */
const PHASE_BANNERS: Record<LobbyPhase, string> = {
  waiting: "Warm-up: get ready in the panel",
  playing: "",
  finished: "Round over",
};

export class PlayScene extends Phaser.Scene {
  readonly #view: PlayView;
  #keys: DirectionKeys | null = null;
  #local: AvatarSprite | null = null;
  readonly #remotes = new Map<string, AvatarSprite>();
  #hud: Phaser.GameObjects.Text | null = null;
  #banner: Phaser.GameObjects.Text | null = null;

  constructor(view: PlayView) {
    super({ key: PLAY_SCENE_KEY });
    this.#view = view;
  }

  create(): void {
    addArenaBackdrop(this);
    this.#keys = this.#bindKeys();
    const { self } = this.#view;
    this.#local = new AvatarSprite(this, self.name, colorForPeer(self.id), true);
    this.#hud = this.add
      .text(12, ARENA_HEIGHT - 10, "", HUD_STYLE)
      .setOrigin(0, 1)
      .setDepth(3);
    this.#banner = this.add
      .text(ARENA_WIDTH / 2, 24, "", BANNER_STYLE)
      .setOrigin(0.5, 0)
      .setDepth(3)
      .setAlpha(0.85);
  }

  override update(_time: number, deltaMs: number): void {
    const { player } = this.#view;
    player.setInput(this.#readInput());
    player.advance(deltaMs);
    this.#local?.moveTo(player.state.x, player.state.y);
    this.#drawRemotes();
    this.#drawHud();
    this.#drawBanner();
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

  #drawRemotes(): void {
    const seen = new Set<string>();
    for (const remote of this.#view.remoteAvatars()) {
      seen.add(remote.id);
      let sprite = this.#remotes.get(remote.id);
      if (!sprite) {
        sprite = new AvatarSprite(this, remote.name, colorForPeer(remote.id), false);
        this.#remotes.set(remote.id, sprite);
      }
      sprite.rename(remote.name);
      sprite.setFaded(!remote.connected);
      sprite.moveTo(remote.x, remote.y);
    }
    for (const [id, sprite] of this.#remotes) {
      if (seen.has(id)) continue;
      sprite.destroy();
      this.#remotes.delete(id);
    }
  }

  #drawBanner(): void {
    const text = PHASE_BANNERS[this.#view.phase()];
    if (this.#banner && this.#banner.text !== text) this.#banner.setText(text);
  }

  #drawHud(): void {
    const { total, connected } = this.#view.peerCounts();
    const text = `Lobby ${this.#view.lobbyCode}  ·  ${connected}/${total} peers connected`;
    if (this.#hud && this.#hud.text !== text) this.#hud.setText(text);
  }
}

/** Keys typed into a text field are not meant for the avatar. */
function isTyping(): boolean {
  const focused = document.activeElement;
  return focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement;
}
