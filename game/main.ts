/** Entry point: builds the Phaser stage and the app around it, then exposes the debug API. */
import "./ui/style.css";
import { App } from "./app.ts";
import { createStage } from "./scenes/stage.ts";
import { requireElement } from "./ui/dom.ts";

const stage = createStage(requireElement(document, "stage", HTMLElement));
const app = new App(document, stage);
globalThis.edgeplay = { snapshot: () => app.snapshot() };
app.start();
