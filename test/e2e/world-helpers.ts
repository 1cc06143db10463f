/** Reading and playing the shared world on real pages: scores, pickups, agreement, scoring a point. */
import type { Page } from "playwright-core";
import type { GameSnapshot, PickupSnapshot, WorldSnapshot } from "../../game/debug.ts";
import { snapshot, waitForSnapshot } from "./harness.ts";

const ARENA_WIDTH = 960;
const ARENA_HEIGHT = 540;
/** Pickups this close to another avatar may be blocked by it (avatar discs are solid). */
const CLEARANCE = 80;

export function scoreOf(world: WorldSnapshot | null, peerId: string): number {
  return world?.scores.find((s) => s.peerId === peerId)?.score ?? 0;
}

/** A player's points over the whole match so far. */
export function totalOf(world: WorldSnapshot | null, peerId: string): number {
  return world?.scores.find((s) => s.peerId === peerId)?.total ?? 0;
}

export function activeIds(world: WorldSnapshot | null): number[] {
  return (world?.pickups ?? [])
    .filter((p) => p.active)
    .map((p) => p.id)
    .sort((a, b) => a - b);
}

/** Every page's world follows the lobby's host and all are at the same version. */
function agree(snaps: readonly GameSnapshot[]): boolean {
  const [first] = snaps;
  if (first?.world === null || first?.world === undefined) return false;
  return snaps.every(
    (s) =>
      s.world !== null &&
      s.world.hostId === s.hostId &&
      s.world.hostId === first.hostId &&
      s.world.version === first.world?.version &&
      JSON.stringify(s.world.scores) === JSON.stringify(first.world?.scores),
  );
}

/** Waits until every page shows the same world (and, if given, `ready` holds on each page). */
export async function waitForAgreement(
  pages: readonly Page[],
  what: string,
  ready: (snap: GameSnapshot) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<GameSnapshot[]> {
  const deadline = Date.now() + timeoutMs;
  let last: GameSnapshot[] = [];
  while (Date.now() < deadline) {
    last = await Promise.all(pages.map(snapshot));
    if (last.every(ready) && agree(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pages never agreed on ${what}: ${JSON.stringify(last.map((s) => s.world))}`);
}

/** The active pickup nearest `mover` that no other avatar stands next to. */
export function choosePickup(mover: GameSnapshot): PickupSnapshot {
  const others = mover.peers.flatMap((p) => (p.lastState ? [p.lastState] : []));
  const free = (mover.world?.pickups ?? []).filter(
    (p) => p.active && others.every((o) => Math.hypot(o.x - p.x, o.y - p.y) > CLEARANCE),
  );
  const [best] = free.sort(
    (a, b) =>
      Math.hypot(a.x - mover.local.x, a.y - mover.local.y) -
      Math.hypot(b.x - mover.local.x, b.y - mover.local.y),
  );
  if (!best) throw new Error(`no reachable pickup: ${JSON.stringify(mover.world)}`);
  return best;
}

/**
 * Starts a match from the warm-up: every other page says it is ready, then the host presses
 * Start game. Resolves once every page is in the match (any stage past the warm-up).
 */
export async function startMatch(host: Page, others: readonly Page[]): Promise<void> {
  for (const page of others) {
    await page.click("#ready-toggle");
    await waitForSnapshot(page, isReady, "to be ready");
  }
  await host.click("#start-game");
  for (const page of [host, ...others]) {
    await waitForSnapshot(page, (s) => (s.world?.stage ?? "warmup") !== "warmup", "the match");
  }
}

function isReady(snap: GameSnapshot): boolean {
  return snap.roster.some((peer) => peer.id === snap.peerId && peer.ready);
}

/** Holds the pointer on the pickup (the avatar heads for a held pointer) until we score. */
export async function collect(page: Page, pickup: PickupSnapshot, before: number): Promise<void> {
  const self = (await snapshot(page)).peerId ?? "";
  await holdPointerOn(page, pickup, () =>
    waitForSnapshot(page, (s) => scoreOf(s.world, self) > before, "our score to go up"),
  );
}

/**
 * Walks our avatar onto the pickup and keeps it there for `dwellMs` (where it would have
 * scored, had points counted); returns the snapshot at the end.
 */
export async function standOn(
  page: Page,
  pickup: PickupSnapshot,
  dwellMs: number,
): Promise<GameSnapshot> {
  return await holdPointerOn(page, pickup, async () => {
    await waitForSnapshot(
      page,
      (s) => Math.hypot(s.local.x - pickup.x, s.local.y - pickup.y) < 12,
      "our avatar on the pickup",
    );
    await page.waitForTimeout(dwellMs);
    return await snapshot(page);
  });
}

/** Holds the pointer on the pickup (the avatar heads for a held pointer) while `run` runs. */
async function holdPointerOn<T>(page: Page, pickup: PickupSnapshot, run: () => Promise<T>) {
  const box = await page.locator("#stage canvas").boundingBox();
  if (!box) throw new Error("no arena canvas");
  const x = box.x + (pickup.x / ARENA_WIDTH) * box.width;
  const y = box.y + (pickup.y / ARENA_HEIGHT) * box.height;
  await page.bringToFront();
  await page.mouse.move(x, y);
  await page.mouse.down();
  try {
    return await run();
  } finally {
    await page.mouse.up();
  }
}
