/**
 * Where names go when avatars stand together: a name that would cover another is lifted above
 * it and above any avatar disc it would be drawn under, so every name stays readable. Names are
 * boxes anchored at their bottom centre (above each avatar); the lowest names keep their place
 * and higher ones move up, which keeps the lift small and the order the avatars stand in. Pure.
 */

export interface NameBox {
  readonly id: string;
  /** The bottom centre of the name where it would be drawn unlifted, in arena units. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An avatar's disc, which names keep clear of. */
export interface Disc {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
}

interface Rect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * How far up (arena units, 0 or more) each name moves so that no two names overlap and no name
 * lies on a disc; keyed by id.
 */
export function nameLifts(boxes: readonly NameBox[], discs: readonly Disc[]): Map<string, number> {
  const lifts = new Map<string, number>();
  const placed: Rect[] = discs.map(({ x, y, radius }) => ({
    left: x - radius,
    right: x + radius,
    top: y - radius,
    bottom: y + radius,
  }));
  // Lowest first; ids break ties so two names at one height do not trade places frame by frame.
  const order = [...boxes].sort((a, b) => b.y - a.y || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const box of order) {
    const left = box.x - box.width / 2;
    const right = box.x + box.width / 2;
    let bottom = box.y;
    // Each pass lifts the name above all it still covers; it only ever moves up, past one
    // placed box or more, so this ends within one pass per placed box.
    for (let pass = 0; pass <= placed.length; pass++) {
      const top = bottom - box.height;
      const covered = placed.filter(
        (other) =>
          left < other.right && other.left < right && top < other.bottom && other.top < bottom,
      );
      if (covered.length === 0) break;
      bottom = Math.min(...covered.map((other) => other.top));
    }
    placed.push({ left, right, top: bottom - box.height, bottom });
    lifts.set(box.id, box.y - bottom);
  }
  return lifts;
}
