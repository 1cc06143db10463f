import { describe, expect, it } from "vitest";
import { DirectRenewals, POLITE_RENEWAL_EXTRA_MS } from "../../game/kit/mesh/direct-renewals.ts";

describe("renewing a direct connection whose channels closed", () => {
  it("backs off while renewals do not bring the pair back, up to the cap", () => {
    const renewals = new DirectRenewals({ baseMs: 1000, capMs: 8000 });
    const delays = Array.from({ length: 6 }, () => renewals.nextDelayMs(false));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("starts from the shortest delay once the direct path was usable again", () => {
    const renewals = new DirectRenewals({ baseMs: 1000, capMs: 8000 });
    renewals.nextDelayMs(false);
    renewals.nextDelayMs(false);
    renewals.usable();
    expect(renewals.nextDelayMs(false)).toBe(1000);
  });

  it("lets the impolite side go first, so its offer usually renews the polite side", () => {
    const renewals = new DirectRenewals({ baseMs: 1000, capMs: 8000 });
    expect(renewals.nextDelayMs(true)).toBe(1000 + POLITE_RENEWAL_EXTRA_MS);
  });
});
