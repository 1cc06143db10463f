/** Typed lookups for the elements index.html declares, and a small element builder. */

type ElementClass<T extends HTMLElement> = abstract new (...args: never[]) => T;

/** The element with this id, checked to be of the expected kind; throws when the page is wrong. */
export function requireElement<T extends HTMLElement>(
  root: Document,
  id: string,
  kind: ElementClass<T>,
): T {
  const element = root.getElementById(id);
  if (!(element instanceof kind)) {
    throw new Error(`index.html needs #${id} as a ${kind.name}`);
  }
  return element;
}

export interface ElementSpec {
  readonly className?: string;
  /** Set as textContent: never parsed as HTML, so player-typed text is safe here. */
  readonly text?: string;
  readonly title?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** Creates an element with text, classes, data-* and other attributes, and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  spec: ElementSpec = {},
  children: readonly (Node | null)[] = [],
): HTMLElementTagNameMap[K] {
  const created = doc.createElement(tag);
  if (spec.className !== undefined) created.className = spec.className;
  if (spec.text !== undefined) created.textContent = spec.text;
  if (spec.title !== undefined) created.title = spec.title;
  for (const [key, value] of Object.entries(spec.data ?? {})) created.dataset[key] = value;
  for (const [key, value] of Object.entries(spec.attrs ?? {})) created.setAttribute(key, value);
  for (const child of children) if (child !== null) created.append(child);
  return created;
}

/** Input types whose keys are text: a focused checkbox or slider does not take letters. */
const TEXT_INPUT_TYPES = new Set(["text", "search", "email", "url", "tel", "password", "number"]);

/** Whether the player is typing into `focused`, so keys are not meant for the game. */
export function isTextEntry(focused: Element | null): boolean {
  if (focused instanceof HTMLTextAreaElement) return true;
  return focused instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(focused.type);
}
