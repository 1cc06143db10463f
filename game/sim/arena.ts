/** The play field, in world units (the canvas scales to fit the window). */
export const ARENA_WIDTH = 960;
export const ARENA_HEIGHT = 540;
export const AVATAR_RADIUS = 18;
