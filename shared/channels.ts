/**
 * The two data channels every pair of peers opens. They are pre-negotiated (same id on both
 * sides, no in-band open handshake), so both ends must use exactly these settings.
 */
export const STATE_CHANNEL = {
  label: "state",
  init: { negotiated: true, id: 0, ordered: false, maxRetransmits: 0 },
} as const;

export const EVENTS_CHANNEL = {
  label: "events",
  init: { negotiated: true, id: 1, ordered: true },
} as const;

/** Above this many queued bytes a sender drops a state packet instead of queueing it. */
export const STATE_BUFFER_LIMIT_BYTES = 16 * 1024;
