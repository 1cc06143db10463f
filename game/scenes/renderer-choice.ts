/**
 * Picks Phaser's renderer. WebGL when the GPU does the work; Canvas when WebGL would run in
 * software (SwiftShader, llvmpipe: headless browsers, VMs, machines without GPU drivers).
 * There, one idle WebGL page kept ~1.8 cores busy on the team's 2-core machines, the Canvas
 * renderer ~0.6, and every other tab (and the WebRTC handshake) paid for the difference.
 */
import * as Phaser from "phaser";

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software/i;

export function chooseRendererType(): number {
  const renderer = webGlRendererName();
  if (renderer === null) return Phaser.AUTO;
  return SOFTWARE_RENDERERS.test(renderer) ? Phaser.CANVAS : Phaser.WEBGL;
}

/** The GPU's name as WebGL reports it, or null when WebGL or the name is unavailable. */
function webGlRendererName(): string | null {
  const gl = document.createElement("canvas").getContext("webgl");
  if (!gl) return null;
  try {
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name: unknown = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : null;
    return typeof name === "string" ? name : null;
  } finally {
    // Browsers cap live WebGL contexts; give this probe's back at once.
    gl.getExtension("WEBGL_lose_context")?.loseContext();
  }
}
