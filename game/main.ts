/** Entry point: builds the Phaser stage and the app around it, then exposes the debug API. */
import "./ui/style.css";
import { App } from "./app.ts";
import { bindMuteButton } from "./feel/mute-button.ts";
import { SoundBoard } from "./feel/sound-board.ts";
import { createStage } from "./scenes/stage.ts";
import { requireElement } from "./ui/dom.ts";
import { foldSectionsOnSmallScreens } from "./ui/panel-sections.ts";

foldSectionsOnSmallScreens(document, window);
const sounds = new SoundBoard(window);
bindMuteButton(requireElement(document, "mute-toggle", HTMLButtonElement), sounds);
const stage = createStage(requireElement(document, "stage", HTMLElement), sounds);
const app = new App(document, stage);
globalThis.edgeplay = { snapshot: () => app.snapshot() };
app.start();
