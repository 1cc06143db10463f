/** Progress lines for the `#status` element, kept in one place so they stay consistent. */

/** `warning` while the lobby connection is being won back. */
export type StatusTone = "info" | "warning";

export function players(count: number): string {
  return `${count} ${count === 1 ? "player" : "players"}`;
}

export const creatingStatus = (): string => "Creating lobby…";
export const joiningStatus = (code: string): string => `Joining ${code}…`;
export const quickJoinStatus = (): string => "Finding a public lobby with a free seat…";

/** Before the first welcome; `retries` counts the failed attempts so far. */
export function connectingStatus(code: string, retries: number): string {
  return retries === 0 ? joiningStatus(code) : `Joining ${code}… (attempt ${retries + 1})`;
}

/** The lobby socket dropped and we are getting our seat back. */
export function reconnectingStatus(attempt: number): string {
  return `Reconnecting… (attempt ${Math.max(1, attempt)})`;
}

/** Once in the lobby: how far the mesh has come. */
export function meshStatus(total: number, connected: number): string {
  if (total === 0) return "Connected — waiting for other players to join";
  if (connected < total) return `Connecting to ${players(total - connected)}…`;
  return `Connected to ${players(total)}`;
}

/** Back on a page the browser kept after the player went elsewhere: that stay has ended. */
export function leftByNavigationStatus(code: string): string {
  return `You left lobby ${code} when you navigated away. Join again? Press Join (the code is filled in).`;
}
