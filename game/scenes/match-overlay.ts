/**
 * What the match shows over the arena: the banner line, the big 3-2-1, each round's results
 * and the final podium. Drawn from the world's view every frame; rebuilt only when what it
 * shows changes.
 */
import type * as Phaser from "phaser";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";
import { BANNER_AREA } from "../sim/scoreboard-area.ts";
import type { WorldView } from "../world/world-session.ts";
import { fitText } from "./fit-text.ts";
import { colorForPeer } from "./peer-color.ts";
import {
  bannerText,
  countdownNumber,
  isFinalSeconds,
  ordinal,
  type Placing,
  placings,
} from "./scoreboard-text.ts";
import { textRuler } from "./text-ruler.ts";
import { readableZoom } from "./text-zoom.ts";

const FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
const BANNER_FONT_PX = 22;
const NOTE_FONT_PX = 18;
const ROW_FONT_PX = 18;
/** The banner's top edge, and the room kept between its lines' ends and the area's edges. */
const BANNER_TOP = BANNER_AREA.y + 12;
const BANNER_INSET = 8;
const BANNER_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: FONT,
  fontSize: `${BANNER_FONT_PX}px`,
  fontStyle: "bold",
  color: "#e8ecff",
  stroke: "#0b0e1a",
  strokeThickness: 6,
  align: "center",
  resolution: 2,
};
const URGENT_COLOR = "#ff8fa3";
const COUNTDOWN_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  ...BANNER_STYLE,
  fontSize: "120px",
  color: "#ffd166",
  strokeThickness: 10,
};
const ROW_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  fontFamily: FONT,
  fontSize: `${ROW_FONT_PX}px`,
  color: "#e8ecff",
  resolution: 2,
};
const DIM_STYLE: Phaser.Types.GameObjects.Text.TextStyle = { ...ROW_STYLE, color: "#9fb0e0" };
const TITLE_STYLE: Phaser.Types.GameObjects.Text.TextStyle = {
  ...ROW_STYLE,
  fontSize: "24px",
  fontStyle: "bold",
  color: "#ffd166",
};

/** The results and podium cards, centred in the arena. */
const CARD = { width: 460, pad: 18, row: 30, title: 44 } as const;
const NAME_WIDTH = 200;
const measureRowName = textRuler(`${ROW_FONT_PX}px ${FONT}`);
/** The results and podium cards never grow past the arena's edges, less this margin. */
const CARD_MARGIN = 12;
const MAX_NAMES_PER_STEP = 2;
const PODIUM_STEPS = [
  { place: 1, x: 0, height: 120 },
  { place: 2, x: -130, height: 84 },
  { place: 3, x: 130, height: 60 },
] as const;

export interface MatchOverlayContent {
  readonly world: WorldView | null;
  readonly selfId: string;
  readonly nameOf: (peerId: string) => string;
  readonly colorOf: (peerId: string) => number | null;
}

export class MatchOverlay {
  readonly #scene: Phaser.Scene;
  readonly #banner: Phaser.GameObjects.Text;
  readonly #countdown: Phaser.GameObjects.Text;
  readonly #card: Phaser.GameObjects.Container;
  readonly #note: Phaser.GameObjects.Text;
  #cardKey = "";
  #cardHeight = 0;
  #noteUntilMs = 0;
  #cssPerWorld = 0;

  constructor(scene: Phaser.Scene) {
    this.#scene = scene;
    this.#banner = scene.add
      .text(ARENA_WIDTH / 2, BANNER_TOP, "", BANNER_STYLE)
      .setOrigin(0.5, 0)
      .setDepth(4);
    this.#countdown = scene.add
      .text(ARENA_WIDTH / 2, ARENA_HEIGHT / 2, "", COUNTDOWN_STYLE)
      .setOrigin(0.5)
      .setDepth(5);
    this.#card = scene.add.container(ARENA_WIDTH / 2, ARENA_HEIGHT / 2).setDepth(5);
    this.#note = scene.add
      .text(ARENA_WIDTH / 2, BANNER_TOP, "", {
        ...BANNER_STYLE,
        fontSize: `${NOTE_FONT_PX}px`,
        color: "#9fe0c0",
      })
      .setOrigin(0.5, 0)
      .setDepth(4);
  }

  /** A line under the banner until `untilMs` (e.g. what a player who joined mid-match missed). */
  note(text: string, untilMs: number): void {
    this.#note.setText(text);
    this.#noteUntilMs = untilMs;
  }

  /** `cssPerWorld`: CSS pixels per arena unit as the canvas is shown now. */
  update(content: MatchOverlayContent, nowMs: number, cssPerWorld: number): void {
    if (this.#note.text !== "" && nowMs >= this.#noteUntilMs) this.#note.setText("");
    if (cssPerWorld !== this.#cssPerWorld) this.#zoomText(cssPerWorld);
    this.#show(content, nowMs);
    this.#placeNote();
    // Where a card is enlarged to stay readable it reaches the banner, which then says nothing
    // the card's title does not.
    const cardTop = (ARENA_HEIGHT - this.#cardHeight * this.#card.scaleY) / 2;
    const covered = this.#cardKey !== "" && cardTop < BANNER_TOP + this.#banner.displayHeight;
    if (this.#banner.visible === covered) this.#banner.setVisible(!covered);
  }

  #show(content: MatchOverlayContent, nowMs: number): void {
    const world = content.world;
    if (world === null) {
      this.#setBanner("", false);
      this.#setCountdown(null, nowMs);
      this.#setCard("", () => []);
      return;
    }
    this.#setBanner(bannerText(world, world.isHost), isFinalSeconds(world));
    this.#setCountdown(countdownNumber(world), world.stageRemainingMs ?? 0);
    if (world.stage === "results") {
      const rows = placings(world.scores, "score");
      this.#setCard(`results:${world.round}:${JSON.stringify(rows)}`, () =>
        this.#results(world.round, world.rounds, rows, content),
      );
    } else if (world.stage === "podium") {
      const rows = placings(world.standings, "total");
      this.#setCard(`podium:${JSON.stringify(rows)}`, () => this.#podium(rows, content));
    } else {
      this.#setCard("", () => []);
    }
  }

  /**
   * Text enlarged where the arena is drawn small; the banner and note wrap inside the banner's
   * area (pickups keep out of it), and a card grows only as far as the arena allows.
   */
  #zoomText(cssPerWorld: number): void {
    this.#cssPerWorld = cssPerWorld;
    const wrapWidth = BANNER_AREA.width - 2 * BANNER_INSET;
    for (const [text, fontPx] of [
      [this.#banner, BANNER_FONT_PX],
      [this.#note, NOTE_FONT_PX],
    ] as const) {
      const zoom = readableZoom(fontPx, cssPerWorld);
      text.setScale(zoom).setWordWrapWidth(wrapWidth / zoom, true);
    }
    this.#scaleCard();
  }

  /** The note sits under the banner's last line (or in its place when there is none). */
  #placeNote(): void {
    const below =
      this.#banner.text === "" ? BANNER_TOP : BANNER_TOP + this.#banner.displayHeight + 4;
    if (this.#note.y !== below) this.#note.setY(below);
  }

  #scaleCard(): void {
    const zoom = readableZoom(ROW_FONT_PX, this.#cssPerWorld);
    const fit = Math.min(
      (ARENA_WIDTH - 2 * CARD_MARGIN) / CARD.width,
      this.#cardHeight > 0 ? (ARENA_HEIGHT - 2 * CARD_MARGIN) / this.#cardHeight : zoom,
    );
    this.#card.setScale(Math.min(zoom, Math.max(1, fit)));
  }

  #setBanner(text: string, urgent: boolean): void {
    if (this.#banner.text !== text) this.#banner.setText(text);
    const color = urgent ? URGENT_COLOR : "#e8ecff";
    if (this.#banner.style.color !== color) this.#banner.setColor(color);
  }

  /** The number grows out of each second: big at its start, settling as it runs out. */
  #setCountdown(value: number | null, remainingMs: number): void {
    const text = value === null ? "" : String(value);
    if (this.#countdown.text !== text) this.#countdown.setText(text);
    if (value === null) return;
    const intoSecond = 1 - (remainingMs / 1000 - Math.floor(remainingMs / 1000));
    const fraction = intoSecond >= 1 ? 0 : intoSecond;
    this.#countdown.setScale(1.3 - 0.3 * fraction).setAlpha(1 - 0.4 * fraction);
  }

  #setCard(key: string, build: () => Phaser.GameObjects.GameObject[]): void {
    if (key === this.#cardKey) return;
    this.#cardKey = key;
    this.#card.removeAll(true);
    if (key !== "") this.#card.add(build());
    this.#scaleCard();
  }

  #results(
    round: number,
    rounds: number,
    rows: readonly Placing[],
    content: MatchOverlayContent,
  ): Phaser.GameObjects.GameObject[] {
    const scene = this.#scene;
    const height = CARD.title + CARD.row * (rows.length + 1) + CARD.pad * 2;
    this.#cardHeight = height;
    const left = -CARD.width / 2 + CARD.pad;
    const right = CARD.width / 2 - CARD.pad;
    const top = -height / 2 + CARD.pad;
    const title = round < rounds ? `Round ${round} of ${rounds}` : `Round ${round}: the last one`;
    const items: Phaser.GameObjects.GameObject[] = [
      this.#panel(height),
      scene.add.text(0, top, title, TITLE_STYLE).setOrigin(0.5, 0),
      scene.add.text(right - 90, top + CARD.title, "round", DIM_STYLE).setOrigin(1, 0),
      scene.add.text(right, top + CARD.title, "total", DIM_STYLE).setOrigin(1, 0),
    ];
    rows.forEach((row, index) => {
      const y = top + CARD.title + CARD.row * (index + 1.5);
      items.push(...this.#row(row, y, left, content));
      items.push(
        scene.add.text(right - 90, y, `+${row.score}`, ROW_STYLE).setOrigin(1, 0.5),
        scene.add.text(right, y, String(row.total), ROW_STYLE).setOrigin(1, 0.5),
      );
    });
    return items;
  }

  #podium(rows: readonly Placing[], content: MatchOverlayContent): Phaser.GameObjects.GameObject[] {
    const scene = this.#scene;
    const rest = rows.filter((row) => row.place > 3);
    const height = 270 + CARD.row * rest.length;
    this.#cardHeight = height;
    const top = -height / 2 + CARD.pad;
    const base = top + 220;
    const items: Phaser.GameObjects.GameObject[] = [
      this.#panel(height),
      scene.add.text(0, top, "Final standings", TITLE_STYLE).setOrigin(0.5, 0),
    ];
    for (const step of PODIUM_STEPS) {
      const onStep = rows.filter((row) => row.place === step.place);
      if (onStep.length === 0) continue;
      const winner = onStep[0];
      if (winner === undefined) continue;
      const color = colorForPeer(content.colorOf(winner.peerId));
      // Players tied for a step stand on it together, one name per line.
      const names = onStep
        .slice(0, MAX_NAMES_PER_STEP)
        .map((row) => fitText(content.nameOf(row.peerId), 120, measureRowName))
        .join("\n");
      const more = onStep.length - MAX_NAMES_PER_STEP;
      items.push(
        scene.add
          .rectangle(step.x, base - step.height / 2, 110, step.height, color, 0.85)
          .setStrokeStyle(2, 0x0b0e1a, 0.8),
        scene.add
          .text(step.x, base - step.height + 8, ordinal(step.place), TITLE_STYLE)
          .setOrigin(0.5, 0)
          .setColor("#0b0e1a"),
        scene.add
          .text(step.x, base - step.height - 8, more > 0 ? `${names}\n+${more}` : names, ROW_STYLE)
          .setAlign("center")
          .setOrigin(0.5, 1),
        scene.add.text(step.x, base + 6, `${winner.total} pts`, DIM_STYLE).setOrigin(0.5, 0),
      );
    }
    const left = -CARD.width / 2 + CARD.pad;
    const right = CARD.width / 2 - CARD.pad;
    rest.forEach((row, index) => {
      const y = base + 44 + CARD.row * index;
      items.push(...this.#row(row, y, left, content));
      items.push(scene.add.text(right, y, `${row.total} pts`, ROW_STYLE).setOrigin(1, 0.5));
    });
    return items;
  }

  /** Place, colour dot and name of one player; ours in bold. */
  #row(
    row: Placing,
    y: number,
    left: number,
    content: MatchOverlayContent,
  ): Phaser.GameObjects.GameObject[] {
    const scene = this.#scene;
    const style = row.peerId === content.selfId ? { ...ROW_STYLE, fontStyle: "bold" } : ROW_STYLE;
    const name = fitText(content.nameOf(row.peerId), NAME_WIDTH, measureRowName);
    return [
      scene.add.text(left, y, ordinal(row.place), DIM_STYLE).setOrigin(0, 0.5),
      scene.add.circle(left + 52, y, 7, colorForPeer(content.colorOf(row.peerId)), 1),
      scene.add.text(left + 66, y, name, style).setOrigin(0, 0.5),
    ];
  }

  #panel(height: number): Phaser.GameObjects.Graphics {
    const panel = this.#scene.add.graphics();
    const x = -CARD.width / 2;
    const y = -height / 2;
    panel.fillStyle(0x0b0e1a, 0.88).fillRoundedRect(x, y, CARD.width, height, 12);
    panel.lineStyle(2, 0x3a4470, 0.9).strokeRoundedRect(x, y, CARD.width, height, 12);
    return panel;
  }
}
