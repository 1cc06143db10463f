/** Progress lines for the `#status` element, kept in one place so they stay consistent. */

export function players(count: number): string {
  return `${count} ${count === 1 ? "player" : "players"}`;
}

export const creatingStatus = (): string => "Creating lobby…";
export const joiningStatus = (code: string): string => `Joining ${code}…`;

/** Once in the lobby: how far the mesh has come. */
export function meshStatus(total: number, connected: number): string {
  if (total === 0) return "Connected — waiting for other players to join";
  if (connected < total) return `Connecting to ${players(total - connected)}…`;
  return `Connected to ${players(total)}`;
}
