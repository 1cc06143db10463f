/** The arena's words for voice: what the controls say, and what went wrong with the microphone. */
import type { CaptureFailure } from "edgeplay/client";

/** Why voice is off after the player asked for it, as they should read it. */
export function voiceFailureText(failure: CaptureFailure | "ended"): string {
  switch (failure) {
    case "denied":
      return "Your browser blocked the microphone. Allow it for this site (the icon by the address), then turn voice on again.";
    case "no-device":
      return "No microphone found. Plug one in and try again.";
    case "in-use":
      return "Another app is using your microphone. Close it and try again.";
    case "unsupported":
      return "Voice needs a browser with a microphone, on a secure page (https, or this computer).";
    case "failed":
      return "The microphone could not be started. Try again.";
    case "ended":
      return "Your microphone stopped (unplugged?). Turn voice on again.";
  }
}

/** The talk key, as the hints name it. */
export const TALK_KEY = "V";
