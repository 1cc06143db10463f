/**
 * The small shapes the effects throw around, drawn once per colour and game. The colour is
 * baked in rather than tinted: the Canvas renderer (chosen where WebGL would run in software)
 * does not tint particles.
 */
import type * as Phaser from "phaser";

/** A round spark of `color`; its texture key. */
export function sparkTexture(scene: Phaser.Scene, color: number): string {
  return made(scene, `feel-spark-${color.toString(16)}`, 12, 12, (shape) =>
    shape.fillStyle(color, 1).fillCircle(6, 6, 6),
  );
}

/** A strip of confetti paper of `color`; its texture key. */
export function confettiTexture(scene: Phaser.Scene, color: number): string {
  return made(scene, `feel-confetti-${color.toString(16)}`, 8, 14, (shape) =>
    shape.fillStyle(color, 1).fillRect(0, 0, 8, 14),
  );
}

function made(
  scene: Phaser.Scene,
  key: string,
  width: number,
  height: number,
  draw: (shape: Phaser.GameObjects.Graphics) => void,
): string {
  if (scene.textures.exists(key)) return key;
  const shape = scene.make.graphics({}, false);
  draw(shape);
  shape.generateTexture(key, width, height);
  shape.destroy();
  return key;
}
