/** Small white shapes the effects tint: made once per game from shapes, nothing downloaded. */
import type * as Phaser from "phaser";

export const SPARK_TEXTURE = "feel-spark";
export const CONFETTI_TEXTURE = "feel-confetti";

export function ensureFeelTextures(scene: Phaser.Scene): void {
  if (!scene.textures.exists(SPARK_TEXTURE)) {
    const spark = scene.make.graphics({}, false);
    spark.fillStyle(0xffffff, 1).fillCircle(6, 6, 6);
    spark.generateTexture(SPARK_TEXTURE, 12, 12);
    spark.destroy();
  }
  if (!scene.textures.exists(CONFETTI_TEXTURE)) {
    const confetti = scene.make.graphics({}, false);
    confetti.fillStyle(0xffffff, 1).fillRect(0, 0, 8, 14);
    confetti.generateTexture(CONFETTI_TEXTURE, 8, 14);
    confetti.destroy();
  }
}
