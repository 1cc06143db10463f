/** The arena floor every scene draws first: a dark field with a faint grid and a border. */
import type * as Phaser from "phaser";
import { ARENA_HEIGHT, ARENA_WIDTH } from "../sim/arena.ts";

export const ARENA_COLORS = {
  floor: 0x141a2e,
  grid: 0x222b47,
  border: 0x3a4a7a,
} as const;

const GRID_SPACING = 40;
const FLOOR_TEXTURE_KEY = "arena-floor";

/**
 * Adds the floor as one image. It is drawn once into a texture, because a Graphics object
 * is re-tessellated every frame, which costs real CPU with software WebGL.
 */
export function addArenaBackdrop(scene: Phaser.Scene): Phaser.GameObjects.Image {
  if (!scene.textures.exists(FLOOR_TEXTURE_KEY)) {
    const graphics = scene.make.graphics({}, false);
    drawFloor(graphics);
    graphics.generateTexture(FLOOR_TEXTURE_KEY, ARENA_WIDTH, ARENA_HEIGHT);
    graphics.destroy();
  }
  return scene.add.image(0, 0, FLOOR_TEXTURE_KEY).setOrigin(0, 0);
}

function drawFloor(graphics: Phaser.GameObjects.Graphics): void {
  graphics.fillStyle(ARENA_COLORS.floor, 1);
  graphics.fillRect(0, 0, ARENA_WIDTH, ARENA_HEIGHT);
  graphics.lineStyle(1, ARENA_COLORS.grid, 1);
  for (let x = GRID_SPACING; x < ARENA_WIDTH; x += GRID_SPACING) {
    graphics.lineBetween(x, 0, x, ARENA_HEIGHT);
  }
  for (let y = GRID_SPACING; y < ARENA_HEIGHT; y += GRID_SPACING) {
    graphics.lineBetween(0, y, ARENA_WIDTH, y);
  }
  graphics.lineStyle(4, ARENA_COLORS.border, 1);
  graphics.strokeRect(2, 2, ARENA_WIDTH - 4, ARENA_HEIGHT - 4);
}
