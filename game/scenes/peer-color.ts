/**
 * The players' colours: one fixed palette slot per seat (`PeerInfo.color`, which the lobby
 * hands out and keeps across reconnects), so every page shows each player in the same colour
 * and no two players share one.
 *
 * Built from the Okabe–Ito set, which stays apart for the common colour-vision deficiencies;
 * its orange and yellow are left out (they read as the pickups' gold, 0xffd166) and so is its
 * black (unseen on the dark arena), and white, pink and violet take their places.
 * test/unit/peer-color.test.ts checks the distances (also under simulated deuteranopia and
 * protanopia) and the text contrast.
 */

export interface PeerColor {
  /** Avatars, dots and swatches. */
  readonly fill: number;
  /** Names written in the colour: at least 4.5:1 against the panel, chat and arena backgrounds. */
  readonly text: number;
}

/** In the order seats take them: the first players get the colours furthest apart. */
export const PEER_PALETTE: readonly PeerColor[] = [
  { fill: 0x56b4e9, text: 0x56b4e9 }, // sky blue
  { fill: 0xd55e00, text: 0xdd650b }, // vermillion
  { fill: 0x009e73, text: 0x009e73 }, // bluish green
  { fill: 0xcc79a7, text: 0xcc79a7 }, // reddish purple
  { fill: 0xf2f2f2, text: 0xf2f2f2 }, // white
  { fill: 0x0072b2, text: 0x3b8dcf }, // blue
  { fill: 0xffaabb, text: 0xffaabb }, // pink
  { fill: 0x9b6bff, text: 0x9b6bff }, // violet
];

/** For a player whose slot is unknown (gone before we learnt it): a neutral grey. */
const UNKNOWN: PeerColor = { fill: 0x8a94b8, text: 0x9fb0e0 };

/** The colour of a palette slot; a slot outside the palette (a newer lobby's) wraps around. */
export function peerColor(slot: number | null): PeerColor {
  if (slot === null || !Number.isInteger(slot) || slot < 0) return UNKNOWN;
  return PEER_PALETTE[slot % PEER_PALETTE.length] ?? UNKNOWN;
}

/** The fill colour (0xRRGGBB) of a player's palette slot. */
export function colorForPeer(slot: number | null): number {
  return peerColor(slot).fill;
}

/** `#rrggbb` for CSS. */
export function cssColor(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, "0")}`;
}
