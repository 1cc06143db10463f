/**
 * Whether the page is used by touch alone (a phone or a tablet): keyboard hints are noise there.
 * The same media query hides `.keyboard-only` hints in style.css.
 */
export const TOUCH_FIRST_QUERY = "(hover: none) and (pointer: coarse)";

export function isTouchFirst(): boolean {
  return matchMedia(TOUCH_FIRST_QUERY).matches;
}
