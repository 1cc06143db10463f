/** Whether the network HUD shows. One switch for the page, read by the debug snapshot too. */
export class HudToggle {
  #visible = false;

  get visible(): boolean {
    return this.#visible;
  }

  toggle(): boolean {
    this.#visible = !this.#visible;
    return this.#visible;
  }
}
