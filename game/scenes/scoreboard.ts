/**
 * A compact scoreboard in the arena's top-right corner: the match's clock line, then one row per
 * player (colour dot, name, this round's points, the match's in a dimmer column), highest first.
 * Where the arena is drawn small, its text is enlarged to stay readable but the board keeps to
 * the corner the pickups avoid: fewer rows (the best and ours), a shorter clock line, no totals.
 * Rebuilt only when what it shows changes.
 */
import type * as Phaser from "phaser";
import { SCOREBOARD_AREA, SCOREBOARD_LAYOUT, scoreboardHeight } from "../sim/scoreboard-area.ts";
import type { Score } from "../world/events-wire.ts";
import { fitText } from "./fit-text.ts";
import { colorForPeer } from "./peer-color.ts";
import { clockLine, type MatchState, shortClockLine, visibleScores } from "./scoreboard-text.ts";
import { textRuler } from "./text-ruler.ts";
import { readableZoom } from "./text-zoom.ts";

const { width: WIDTH, pad: PAD, row: ROW, clockHeight: CLOCK_HEIGHT } = SCOREBOARD_LAYOUT;

const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const FONT_PX = 14;
const TEXT_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: FONT,
  fontSize: `${FONT_PX}px`,
  color: "#e8ecff",
  resolution: 2,
};
const TOTAL_STYLE: Phaser.Types.GameObjects.Text.TextStyle = { ...TEXT_STYLE, color: "#9fb0e0" };
const CLOCK_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  ...TEXT_STYLE,
  fontSize: "16px",
  fontStyle: "bold",
  color: "#ffd166",
};
const measureName = textRuler(`${FONT_PX}px ${FONT}`);
const measureOwnName = textRuler(`bold ${FONT_PX}px ${FONT}`);
const measureClock = textRuler(`bold 16px ${FONT}`);
/** The dot's column, and the point columns' widths (this round's alone, or with the total). */
const DOT_COLUMN = 16;
const SCORE_COLUMN = 30;
const SCORE_AND_TOTAL_COLUMNS = 64;

export interface ScoreboardContent extends MatchState {
  readonly scores: readonly Score[];
  readonly selfId: string;
  readonly nameOf: (peerId: string) => string;
  readonly colorOf: (peerId: string) => number | null;
}

interface Row {
  readonly peerId: string;
  readonly name: string;
  readonly color: number;
  readonly score: string;
  readonly total: string;
}

export class Scoreboard {
  readonly #scene: Phaser.Scene;
  readonly #container: Phaser.GameObjects.Container;
  #key = "";

  constructor(scene: Phaser.Scene) {
    this.#scene = scene;
    this.#container = scene.add.container(SCOREBOARD_AREA.x, SCOREBOARD_AREA.y).setDepth(3);
  }

  /** `cssPerWorld`: CSS pixels per arena unit as the canvas is shown now. */
  update(content: ScoreboardContent, cssPerWorld: number): void {
    const zoom = readableZoom(FONT_PX, cssPerWorld);
    // The board's own units: scaled by `zoom`, it fills the corner's width.
    const width = WIDTH / zoom;
    const maxRows = Math.floor((SCOREBOARD_AREA.height / zoom - 2 * PAD - CLOCK_HEIGHT) / ROW);
    const inMatch = content.stage !== "warmup";
    const totals = inMatch && width - 2 * PAD - DOT_COLUMN - SCORE_AND_TOTAL_COLUMNS >= 90;
    const nameWidth =
      width - 2 * PAD - DOT_COLUMN - (totals ? SCORE_AND_TOTAL_COLUMNS : SCORE_COLUMN);
    const fullClock = clockLine(content);
    const clock = measureClock(fullClock) <= width - 2 * PAD ? fullClock : shortClockLine(content);
    const rows = visibleScores(content.scores, content.selfId, maxRows).map(
      ({ peerId, score, total }): Row => ({
        peerId,
        name: fitText(
          content.nameOf(peerId),
          nameWidth,
          peerId === content.selfId ? measureOwnName : measureName,
        ),
        color: colorForPeer(content.colorOf(peerId)),
        score: inMatch ? String(score) : "",
        total: totals ? String(total) : "",
      }),
    );
    const key = JSON.stringify([clock, rows, zoom.toFixed(3)]);
    if (key === this.#key) return;
    this.#key = key;
    this.#rebuild(clock, rows, content.selfId, width);
    this.#container.setScale(zoom);
  }

  #rebuild(clock: string, rows: readonly Row[], selfId: string, width: number): void {
    const scene = this.#scene;
    this.#container.removeAll(true);
    const height = scoreboardHeight(rows.length);
    const panel = scene.add.graphics();
    panel.fillStyle(0x0b0e1a, 0.72).fillRoundedRect(0, 0, width, height, 8);
    panel.lineStyle(1, 0x3a4470, 0.8).strokeRoundedRect(0, 0, width, height, 8);
    const items: Phaser.GameObjects.GameObject[] = [
      panel,
      scene.add.text(PAD, PAD, clock, CLOCK_STYLE),
    ];
    const scoreRight = width - PAD - (rows.some((row) => row.total !== "") ? 36 : 0);
    rows.forEach((row, index) => {
      const y = PAD + CLOCK_HEIGHT + index * ROW + ROW / 2;
      const mine = row.peerId === selfId;
      const style = mine ? { ...TEXT_STYLE, fontStyle: "bold" } : TEXT_STYLE;
      items.push(
        scene.add.circle(PAD + 5, y, 5, row.color, 1),
        scene.add.text(PAD + DOT_COLUMN, y, row.name, style).setOrigin(0, 0.5),
        scene.add.text(scoreRight, y, row.score, style).setOrigin(1, 0.5),
        scene.add.text(width - PAD, y, row.total, TOTAL_STYLE).setOrigin(1, 0.5),
      );
    });
    this.#container.add(items);
  }
}
