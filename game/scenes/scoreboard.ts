/**
 * A compact scoreboard in the arena's top-right corner: the match's clock line, then one row per
 * player (colour dot, name, this round's points, the match's in a dimmer column), highest first.
 * Rebuilt only when what it shows changes.
 */
import type * as Phaser from "phaser";
import { SCOREBOARD_AREA, SCOREBOARD_LAYOUT, scoreboardHeight } from "../sim/scoreboard-area.ts";
import type { Score } from "../world/events-wire.ts";
import { fitText } from "./fit-text.ts";
import { colorForPeer } from "./peer-color.ts";
import { clockLine, type MatchState } from "./scoreboard-text.ts";
import { textRuler } from "./text-ruler.ts";

const { width: WIDTH, pad: PAD, row: ROW, clockHeight: CLOCK_HEIGHT } = SCOREBOARD_LAYOUT;

const TEXT_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  fontSize: "14px",
  color: "#e8ecff",
  resolution: 2,
};
const TOTAL_STYLE: Phaser.Types.GameObjects.Text.TextStyle = { ...TEXT_STYLE, color: "#9fb0e0" };
/** Room for the name between the dot and the two point columns. */
const NAME_WIDTH = WIDTH - 2 * PAD - 16 - 64;
const measureName = textRuler("14px system-ui, -apple-system, 'Segoe UI', sans-serif");
const measureOwnName = textRuler("bold 14px system-ui, -apple-system, 'Segoe UI', sans-serif");

const CLOCK_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  ...TEXT_STYLE,
  fontSize: "16px",
  fontStyle: "bold",
  color: "#ffd166",
};

export interface ScoreboardContent extends MatchState {
  readonly scores: readonly Score[];
  readonly selfId: string;
  readonly nameOf: (peerId: string) => string;
  readonly colorOf: (peerId: string) => number | null;
}

export class Scoreboard {
  readonly #scene: Phaser.Scene;
  readonly #container: Phaser.GameObjects.Container;
  #key = "";

  constructor(scene: Phaser.Scene) {
    this.#scene = scene;
    this.#container = scene.add.container(SCOREBOARD_AREA.x, SCOREBOARD_AREA.y).setDepth(3);
  }

  update(content: ScoreboardContent): void {
    const clock = clockLine(content);
    const inMatch = content.stage !== "warmup";
    const rows = content.scores.map(({ peerId, score, total }) => ({
      peerId,
      name: fitText(
        content.nameOf(peerId),
        NAME_WIDTH,
        peerId === content.selfId ? measureOwnName : measureName,
      ),
      color: colorForPeer(content.colorOf(peerId)),
      score: inMatch ? String(score) : "",
      total: inMatch ? String(total) : "",
    }));
    const key = JSON.stringify([clock, rows]);
    if (key === this.#key) return;
    this.#key = key;
    this.#rebuild(clock, rows, content.selfId);
  }

  #rebuild(
    clock: string,
    rows: readonly {
      peerId: string;
      name: string;
      color: number;
      score: string;
      total: string;
    }[],
    selfId: string,
  ): void {
    const scene = this.#scene;
    this.#container.removeAll(true);
    const height = scoreboardHeight(rows.length);
    const panel = scene.add.graphics();
    panel.fillStyle(0x0b0e1a, 0.72).fillRoundedRect(0, 0, WIDTH, height, 8);
    panel.lineStyle(1, 0x3a4470, 0.8).strokeRoundedRect(0, 0, WIDTH, height, 8);
    const items: Phaser.GameObjects.GameObject[] = [
      panel,
      scene.add.text(PAD, PAD, clock, CLOCK_STYLE),
    ];
    rows.forEach((row, index) => {
      const y = PAD + CLOCK_HEIGHT + index * ROW + ROW / 2;
      const mine = row.peerId === selfId;
      const style = mine ? { ...TEXT_STYLE, fontStyle: "bold" } : TEXT_STYLE;
      items.push(
        scene.add.circle(PAD + 5, y, 5, row.color, 1),
        scene.add.text(PAD + 16, y, row.name, style).setOrigin(0, 0.5),
        scene.add.text(WIDTH - PAD - 36, y, row.score, style).setOrigin(1, 0.5),
        scene.add.text(WIDTH - PAD, y, row.total, TOTAL_STYLE).setOrigin(1, 0.5),
      );
    });
    this.#container.add(items);
  }
}
