/** The join link as a QR code, so a phone in the room can join by pointing its camera. */
import { encode } from "uqr";
import { qrPathData } from "./qr-path.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
/** Light modules around the code; scanners want a quiet zone. */
const QUIET_ZONE = 2;

/** Replaces the container's content with an SVG QR code of `text`. */
export function showQrCode(container: HTMLElement, text: string): void {
  const { data, size } = encode(text, { ecc: "M", border: QUIET_ZONE });
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("shape-rendering", "crispEdges");
  const background = document.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#ffffff");
  const modules = document.createElementNS(SVG_NS, "path");
  modules.setAttribute("d", qrPathData(data));
  modules.setAttribute("fill", "#0b0e1a");
  svg.append(background, modules);
  container.replaceChildren(svg);
  container.dataset["text"] = text;
}
