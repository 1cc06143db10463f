import { describe, expect, it } from "vitest";
import { devSwitchesFromSearch } from "../../game/dev-switches.ts";

describe("developer switches in the page address", () => {
  it("leaves every switch off in a plain address", () => {
    expect(devSwitchesFromSearch("")).toEqual({
      iceTransportPolicy: "all",
      transport: "auto",
      streamsOverReliable: false,
    });
    expect(devSwitchesFromSearch("?lobby=7KX2QM")).toEqual(devSwitchesFromSearch(""));
  });

  it("forces relay-only paths with ?ice=relay, and only then", () => {
    const policy = (search: string) => devSwitchesFromSearch(search).iceTransportPolicy;
    expect(policy("?ice=relay")).toBe("relay");
    expect(policy("?lobby=7KX2QM&ice=relay")).toBe("relay");
    expect(policy("")).toBe("all");
    expect(policy("?ice=all")).toBe("all");
    expect(policy("?ice=RELAY")).toBe("all");
  });

  it("sends every pair through the edge relay with ?transport=edge, and only then", () => {
    const transport = (search: string) => devSwitchesFromSearch(search).transport;
    expect(transport("?transport=edge")).toBe("edge");
    expect(transport("?lobby=7KX2QM&transport=edge")).toBe("edge");
    expect(transport("?transport=direct")).toBe("auto");
    expect(transport("?transport=EDGE")).toBe("auto");
  });

  it("puts streams on the reliable channel with ?state=reliable, and only then", () => {
    const reliable = (search: string) => devSwitchesFromSearch(search).streamsOverReliable;
    expect(reliable("?state=reliable")).toBe(true);
    expect(reliable("?lobby=7KX2QM&state=reliable")).toBe(true);
    expect(reliable("?state=unreliable")).toBe(false);
    expect(reliable("?state=")).toBe(false);
  });

  it("reads the switches independently of one another", () => {
    expect(devSwitchesFromSearch("?ice=relay&transport=edge&state=reliable")).toEqual({
      iceTransportPolicy: "relay",
      transport: "edge",
      streamsOverReliable: true,
    });
    expect(devSwitchesFromSearch("?state=reliable&ice=relay")).toEqual({
      iceTransportPolicy: "relay",
      transport: "auto",
      streamsOverReliable: true,
    });
  });
});
