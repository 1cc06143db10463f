/**
 * The lobby menu: the player's name, a new lobby's settings, join by code, quick join and the
 * public lobbies list. It only shows things and reports what the player asked for.
 */

import {
  DEFAULT_ROUNDS,
  MAX_LOBBY_NAME_CHARS,
  MAX_PLAYERS,
  MIN_PLAYERS,
  type Visibility,
  type VoiceRange,
} from "edgeplay/protocol";
import { requireElement } from "./dom.ts";
import { GAME_MODES } from "./game-modes.ts";
import { codeFromJoinInput } from "./join-code-input.ts";
import { PublicLobbiesView } from "./public-lobbies-view.ts";

/** The create form as typed; the app validates it. */
export interface CreateForm {
  readonly playerName: string;
  readonly lobbyName: string;
  readonly maxPlayers: number;
  readonly visibility: Visibility;
  readonly mode: string;
  readonly rounds: number;
  readonly voice: VoiceRange;
}

/** The match lengths the create form offers (the lobby takes MIN_ROUNDS to MAX_ROUNDS). */
const ROUND_CHOICES = [1, 3, 5] as const;

export interface MenuActions {
  create(form: CreateForm): void;
  join(codeInput: string, playerName: string): void;
  quickJoin(playerName: string, mode: string): void;
  refreshLobbies(): void;
}

export class MenuView {
  readonly publicLobbies: PublicLobbiesView;
  readonly #name: HTMLInputElement;
  readonly #lobbyName: HTMLInputElement;
  readonly #maxPlayers: HTMLSelectElement;
  readonly #visibility: HTMLSelectElement;
  readonly #mode: HTMLSelectElement;
  readonly #rounds: HTMLSelectElement;
  readonly #voiceRange: HTMLSelectElement;
  readonly #create: HTMLButtonElement;
  readonly #joinCode: HTMLInputElement;
  readonly #join: HTMLButtonElement;
  readonly #quickJoin: HTMLButtonElement;

  constructor(doc: Document, actions: MenuActions) {
    this.#name = requireElement(doc, "player-name", HTMLInputElement);
    this.#lobbyName = requireElement(doc, "lobby-name", HTMLInputElement);
    this.#maxPlayers = requireElement(doc, "max-players", HTMLSelectElement);
    this.#visibility = requireElement(doc, "visibility", HTMLSelectElement);
    this.#mode = requireElement(doc, "game-mode", HTMLSelectElement);
    this.#rounds = requireElement(doc, "rounds", HTMLSelectElement);
    this.#voiceRange = requireElement(doc, "voice-range", HTMLSelectElement);
    this.#create = requireElement(doc, "create-lobby", HTMLButtonElement);
    this.#joinCode = requireElement(doc, "join-code", HTMLInputElement);
    this.#join = requireElement(doc, "join-lobby", HTMLButtonElement);
    this.#quickJoin = requireElement(doc, "quick-join", HTMLButtonElement);
    this.publicLobbies = new PublicLobbiesView(
      requireElement(doc, "public-lobbies", HTMLElement),
      requireElement(doc, "public-lobbies-note", HTMLElement),
      requireElement(doc, "refresh-lobbies", HTMLButtonElement),
      {
        pick: (code) => actions.join(code, this.#name.value),
        refresh: () => actions.refreshLobbies(),
      },
    );
    this.#fillChoices(doc);

    const create = (): void => actions.create(this.#createForm());
    this.#create.addEventListener("click", create);
    this.#lobbyName.addEventListener("keydown", (event) => {
      if (event.key === "Enter") create();
    });
    requireElement(doc, "join-form", HTMLFormElement).addEventListener("submit", (event) => {
      event.preventDefault();
      actions.join(this.#joinCode.value, this.#name.value);
    });
    // A pasted share link shows as the code it carries.
    this.#joinCode.addEventListener("input", (event) => {
      if (!(event instanceof InputEvent) || event.inputType !== "insertFromPaste") return;
      const code = codeFromJoinInput(this.#joinCode.value);
      if (code !== null) this.#joinCode.value = code;
    });
    this.#quickJoin.addEventListener("click", () => {
      actions.quickJoin(this.#name.value, this.#mode.value);
    });
  }

  get playerName(): string {
    return this.#name.value;
  }

  set playerName(name: string) {
    this.#name.value = name;
  }

  set joinCode(code: string) {
    this.#joinCode.value = code;
  }

  /** The mode the player picked; quick join and the public list follow it. */
  get mode(): string {
    return this.#mode.value;
  }

  /** Disables the menu while a request is in flight, so one click makes one lobby. */
  setBusy(busy: boolean): void {
    const controls = [
      this.#name,
      this.#lobbyName,
      this.#maxPlayers,
      this.#visibility,
      this.#mode,
      this.#rounds,
      this.#voiceRange,
      this.#create,
      this.#joinCode,
      this.#join,
      this.#quickJoin,
    ];
    for (const control of controls) control.disabled = busy;
    this.publicLobbies.setDisabled(busy);
  }

  #createForm(): CreateForm {
    return {
      playerName: this.#name.value,
      lobbyName: this.#lobbyName.value,
      maxPlayers: Number(this.#maxPlayers.value),
      visibility: this.#visibility.value === "public" ? "public" : "private",
      mode: this.#mode.value,
      rounds: Number(this.#rounds.value),
      voice: this.#voiceRange.value === "proximity" ? "proximity" : "everyone",
    };
  }

  #fillChoices(doc: Document): void {
    this.#lobbyName.maxLength = MAX_LOBBY_NAME_CHARS;
    const seats: HTMLOptionElement[] = [];
    for (let count = MIN_PLAYERS; count <= MAX_PLAYERS; count++) {
      const option = doc.createElement("option");
      option.value = String(count);
      option.textContent = `${count} players`;
      seats.push(option);
    }
    this.#maxPlayers.replaceChildren(...seats);
    this.#maxPlayers.value = String(MAX_PLAYERS);
    this.#rounds.replaceChildren(
      ...ROUND_CHOICES.map((count) => {
        const option = doc.createElement("option");
        option.value = String(count);
        option.textContent = String(count);
        option.title = count === 1 ? "1 round" : `${count} rounds`;
        return option;
      }),
    );
    this.#rounds.value = String(DEFAULT_ROUNDS);
    this.#mode.replaceChildren(
      ...GAME_MODES.map((mode) => {
        const option = doc.createElement("option");
        option.value = mode.id;
        option.textContent = mode.label;
        option.title = mode.description;
        return option;
      }),
    );
  }
}
