/**
 * Cursors: everyone's pointer on one board, and a ripple wherever anyone clicks. A second game
 * on the edgeplay kit, with nothing of the arena: a stream for the cursors, an action for the
 * ripples. Open it, then open the address it shows in another tab or on another device.
 */
import {
  type Action,
  connect,
  LobbyApi,
  msgpackCodec,
  type Room,
  type Stream,
} from "edgeplay/client";
import { hashString32 } from "edgeplay/protocol";
import * as v from "valibot";

/** A pointer as fractions of the board, so every screen size agrees on where it is. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

declare global {
  /** For tests and the curious (`example.room` in the console). */
  var example: { room: Room; cursors: Stream<Point>; ripples: Action<Point> } | undefined;
}

const isFraction = (n: unknown): n is number => typeof n === "number" && n >= 0 && n <= 1;
const pointCodec = msgpackCodec<Point>("point-v1", (value) =>
  typeof value === "object" &&
  value !== null &&
  "x" in value &&
  "y" in value &&
  isFraction(value.x) &&
  isFraction(value.y)
    ? { x: value.x, y: value.y }
    : null,
);
const Fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const RippleSchema = v.object({ x: Fraction, y: Fraction });
const RIPPLE_MS = 900;

function element<T extends Element>(selector: string, type: abstract new () => T): T {
  const found = document.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`the page lacks ${selector}`);
  return found;
}
const board = element("#board", HTMLCanvasElement);
const status = element("#status", HTMLElement);
const pen = canvas2d(board);

function canvas2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const context = canvas.getContext("2d");
  if (!context) throw new Error("this browser draws no 2D canvas");
  return context;
}

/** The lobby service: this page's own origin, or another one named by `?server=`. */
const server = new URLSearchParams(location.search).get("server") ?? location.origin;

/** The lobby in the address, or a new private one (its code then goes into the address). */
async function lobbyCode(): Promise<string> {
  const given = new URLSearchParams(location.search).get("lobby");
  if (given) return given;
  const created = await new LobbyApi({ server }).createLobby({
    name: "Cursors",
    mode: "cursors",
  });
  if (!created.ok) throw new Error(`no lobby: ${created.error}`);
  const address = new URL(location.href);
  address.searchParams.set("lobby", created.value.code);
  history.replaceState(null, "", address);
  return created.value.code;
}

const room: Room = connect({
  server,
  code: await lobbyCode(),
  name: `Guest ${100 + Math.floor(Math.random() * 900)}`,
});
let mine: Point | null = null;
const cursors = room.stream("cursor", {
  codec: pointCodec,
  hz: 20,
  read: () => mine,
  blend: { between: (a, b, t) => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }) },
});
const ripples = room.action("ripple", RippleSchema);
const shown: { readonly at: Point; readonly from: string; readonly since: number }[] = [];
ripples.on((at, from) => shown.push({ at, from, since: performance.now() }));
let ended = false;
room.on("ended", (end) => {
  ended = true;
  status.textContent = `The lobby ended this visit (${end.reason}). Reload to join again.`;
});
room.on("problem", (problem) => console.warn("edgeplay:", problem));
globalThis.example = { room, cursors, ripples };

function pointAt(event: PointerEvent): Point {
  return { x: event.clientX / board.clientWidth, y: event.clientY / board.clientHeight };
}
board.addEventListener("pointermove", (event) => {
  mine = pointAt(event);
});
board.addEventListener("pointerdown", (event) => {
  mine = pointAt(event);
  shown.push({ at: mine, from: room.selfId ?? "", since: performance.now() });
  ripples.send(mine);
});

const hue = (peerId: string): number => hashString32(peerId) % 360;

function dot(at: Point, color: string, label: string): void {
  const x = at.x * board.width;
  const y = at.y * board.height;
  pen.fillStyle = color;
  pen.beginPath();
  pen.arc(x, y, 9 * devicePixelRatio, 0, 2 * Math.PI);
  pen.fill();
  pen.fillText(label, x + 14 * devicePixelRatio, y + 5 * devicePixelRatio);
}

function draw(now: number): void {
  board.width = board.clientWidth * devicePixelRatio;
  board.height = board.clientHeight * devicePixelRatio;
  pen.font = `${14 * devicePixelRatio}px system-ui, sans-serif`;
  for (const peerId of room.peers) {
    const at = cursors.sample(peerId, now);
    if (at) dot(at, `hsl(${hue(peerId)} 80% 65%)`, room.nameOf(peerId) ?? "?");
  }
  if (mine) dot(mine, "#ffffff", `${room.name} (you)`);
  while (shown.length > 0 && now - (shown[0]?.since ?? now) > RIPPLE_MS) shown.shift();
  for (const { at, from, since } of shown) {
    // A frame can be stamped before the click that it draws.
    const age = Math.max(0, (now - since) / RIPPLE_MS);
    pen.strokeStyle = `hsl(${hue(from)} 80% 65% / ${1 - age})`;
    pen.lineWidth = 3 * devicePixelRatio;
    pen.beginPath();
    pen.arc(at.x * board.width, at.y * board.height, age * 80 * devicePixelRatio, 0, 2 * Math.PI);
    pen.stroke();
  }
  const players = room.peers.length + 1;
  if (!ended) {
    status.textContent =
      room.connection === "open"
        ? `Lobby ${room.code}: ${players} ${players === 1 ? "player" : "players"}. Share this page's address to invite more.`
        : `Lobby ${room.code}: ${room.connection}…`;
  }
  requestAnimationFrame(draw);
}
requestAnimationFrame(draw);
