import { describe, expect, it } from "vitest";
import { directPathFromStats } from "../../game/kit/mesh/selected-path.ts";

/** A Chromium-like report: a transport naming the selected pair, and the candidates. */
function report(localType: string, remoteType: string): unknown[] {
  return [
    { id: "T01", type: "transport", selectedCandidatePairId: "CP1" },
    { id: "CP0", type: "candidate-pair", localCandidateId: "L0", remoteCandidateId: "R0" },
    { id: "CP1", type: "candidate-pair", localCandidateId: "L1", remoteCandidateId: "R1" },
    { id: "L0", type: "local-candidate", candidateType: "relay" },
    { id: "R0", type: "remote-candidate", candidateType: "relay" },
    { id: "L1", type: "local-candidate", candidateType: localType },
    { id: "R1", type: "remote-candidate", candidateType: remoteType },
  ];
}

describe("direct or TURN, from getStats", () => {
  it("reads the selected pair, not any other pair", () => {
    expect(directPathFromStats(report("host", "host"))).toBe("direct");
    expect(directPathFromStats(report("srflx", "prflx"))).toBe("direct");
  });

  it("calls a relay candidate on either end TURN", () => {
    expect(directPathFromStats(report("relay", "host"))).toBe("turn");
    expect(directPathFromStats(report("host", "relay"))).toBe("turn");
  });

  it("falls back to a pair marked selected (Firefox), then to a nominated succeeded one", () => {
    const selected = [
      {
        id: "P",
        type: "candidate-pair",
        selected: true,
        localCandidateId: "L",
        remoteCandidateId: "R",
      },
      { id: "L", type: "local-candidate", candidateType: "relay" },
      { id: "R", type: "remote-candidate", candidateType: "host" },
    ];
    expect(directPathFromStats(selected)).toBe("turn");
    const nominated = [
      {
        id: "P",
        type: "candidate-pair",
        nominated: true,
        state: "succeeded",
        localCandidateId: "L",
        remoteCandidateId: "R",
      },
      { id: "L", type: "local-candidate", candidateType: "host" },
      { id: "R", type: "remote-candidate", candidateType: "host" },
    ];
    expect(directPathFromStats(nominated)).toBe("direct");
  });

  it("says nothing without a selected pair or its candidates, and ignores junk", () => {
    expect(directPathFromStats([])).toBeNull();
    expect(directPathFromStats([null, 7, "x", { type: "transport" }])).toBeNull();
    expect(directPathFromStats(report("host", "host").slice(0, 3))).toBeNull();
  });
});
