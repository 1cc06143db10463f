/** The Phaser game and the switch between the idle backdrop and the play scene. */
import * as Phaser from "phaser";
import type { SoundBoard } from "../feel/sound-board.ts";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";
import { ARENA_COLORS } from "./arena-backdrop.ts";
import type { HudToggle } from "./hud-toggle.ts";
import { IDLE_SCENE_KEY, IdleScene } from "./idle-scene.ts";
import { PLAY_SCENE_KEY, PlayScene } from "./play-scene.ts";
import type { PlayView } from "./play-view.ts";
import { chooseRendererType } from "./renderer-choice.ts";

export interface Stage {
  showIdle(): void;
  showPlay(view: PlayView, hud: HudToggle): void;
  /** The stage's box changed size (the lobby panel came or went): fit the arena again now. */
  refreshLayout(): void;
}

/** `sounds`: the page's sound board, which the play scene's effects play on. */
export function createStage(parent: HTMLElement, sounds: SoundBoard): Stage {
  const game = new Phaser.Game({
    type: chooseRendererType(),
    parent,
    width: ARENA_WIDTH,
    height: ARENA_HEIGHT,
    backgroundColor: ARENA_COLORS.floor,
    scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
    // Sounds are our own Web Audio (../feel/sound-board.ts); Phaser's would open a second
    // AudioContext before any click and earn an autoplay warning.
    audio: { noAudio: true },
    banner: false,
    scene: [IdleScene],
  });

  const removePlayScene = (): void => {
    if (game.scene.getScene(PLAY_SCENE_KEY)) game.scene.remove(PLAY_SCENE_KEY);
  };

  return {
    showIdle() {
      removePlayScene();
      game.scene.start(IDLE_SCENE_KEY);
    },
    showPlay(view, hud) {
      removePlayScene();
      game.scene.stop(IDLE_SCENE_KEY);
      // A fresh scene per session: it is built around that session's view.
      game.scene.add(PLAY_SCENE_KEY, new PlayScene(view, hud, sounds), true);
    },
    refreshLayout() {
      // refresh() alone fits to the parent size Phaser measured last; measure it first.
      game.scale.getParentBounds();
      game.scale.refresh();
    },
  };
}
