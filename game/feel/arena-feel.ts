/**
 * The arena's feel, frame by frame: reads the world's view, picks the news (awards not yet
 * celebrated, match moments just reached) and turns it into effects and sounds. The decisions
 * live in the pure `AwardFeed`, `CueTracker` and sound plan; this only plays them.
 */
import type * as Phaser from "phaser";
import { colorForPeer } from "../scenes/peer-color.ts";
import { readableZoom } from "../scenes/text-zoom.ts";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";
import type { WorldView } from "../world/world-session.ts";
import { AwardEffects, GAIN_FONT_PX } from "./award-effects.ts";
import { AwardFeed } from "./award-feed.ts";
import { Confetti } from "./confetti.ts";
import { type Cue, CueTracker } from "./match-cues.ts";
import type { SoundBoard } from "./sound-board.ts";
import { soundForAwards, soundForCue } from "./sound-plan.ts";

const GO_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  fontSize: "110px",
  fontStyle: "bold",
  color: "#6bffb0",
  stroke: "#0b0e1a",
  strokeThickness: 10,
  resolution: 2,
};
/** Colours of the podium's first three, for the confetti. */
const CONFETTI_WINNERS = 3;

/** Who is who, for the effects: our own id, and each player's colour slot. */
export interface FeelPlayers {
  readonly selfId: string;
  readonly colorOf: (peerId: string) => number | null;
}

export class ArenaFeel {
  readonly #scene: Phaser.Scene;
  readonly #sounds: SoundBoard;
  readonly #effects: AwardEffects;
  readonly #confetti: Confetti;
  readonly #awards = new AwardFeed();
  readonly #cues = new CueTracker();

  constructor(scene: Phaser.Scene, sounds: SoundBoard) {
    this.#scene = scene;
    this.#sounds = sounds;
    this.#effects = new AwardEffects(scene);
    this.#confetti = new Confetti(scene);
  }

  /** `cssPerWorld`: CSS pixels per arena unit as the canvas is shown now. */
  update(world: WorldView | null, players: FeelPlayers, nowMs: number, cssPerWorld: number): void {
    const { selfId, colorOf } = players;
    if (world === null || !world.ready) return;
    const awards = this.#awards.take(world.awards, nowMs);
    const zoom = readableZoom(GAIN_FONT_PX, cssPerWorld);
    for (const award of awards) {
      this.#effects.show(award, colorForPeer(colorOf(award.by)), award.by === selfId, zoom);
    }
    const awardSound = soundForAwards(awards, selfId);
    if (awardSound !== null) this.#sounds.play(awardSound);
    for (const cue of this.#cues.next(world, nowMs)) this.#onCue(cue, world, colorOf);
    if (world.stage !== "podium") this.#confetti.stop();
  }

  #onCue(cue: Cue, world: WorldView, colorOf: FeelPlayers["colorOf"]): void {
    this.#sounds.play(soundForCue(cue));
    if (cue.kind === "go") this.#go();
    if (cue.kind === "podium") {
      const winners = world.standings.slice(0, CONFETTI_WINNERS);
      this.#confetti.celebrate(winners.map((line) => colorForPeer(colorOf(line.peerId))));
    }
  }

  /** "Go!" bursts out of the arena's middle as the round starts. */
  #go(): void {
    const text = this.#scene.add
      .text(ARENA_WIDTH / 2, ARENA_HEIGHT / 2, "Go!", GO_STYLE)
      .setOrigin(0.5)
      .setDepth(5)
      .setScale(0.7);
    this.#scene.tweens.add({
      targets: text,
      scale: 1.5,
      alpha: 0,
      duration: 700,
      ease: "Cubic.easeOut",
      onComplete: () => text.destroy(),
    });
  }
}
