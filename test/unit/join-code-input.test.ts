import { describe, expect, it } from "vitest";
import { codeFromJoinInput } from "../../game/ui/join-code-input.ts";

describe("the join box", () => {
  it("takes a code as people type it: any case, spaces, dashes, look-alike letters", () => {
    expect(codeFromJoinInput("7KX2QM")).toBe("7KX2QM");
    expect(codeFromJoinInput("  7kx2qm ")).toBe("7KX2QM");
    expect(codeFromJoinInput("7kx 2qm")).toBe("7KX2QM");
    expect(codeFromJoinInput("7KX-2QM")).toBe("7KX2QM");
    expect(codeFromJoinInput("7KX2QO")).toBe("7KX2Q0");
  });

  it("takes the code out of a whole share link pasted in", () => {
    expect(codeFromJoinInput("http://127.0.0.1:8787/?lobby=7KX2QM")).toBe("7KX2QM");
    expect(codeFromJoinInput("https://play.example.com/?lobby=7kx2qm&ice=relay")).toBe("7KX2QM");
    expect(codeFromJoinInput(" https://play.example.com/?lobby=7KX2QM\n")).toBe("7KX2QM");
  });

  it("takes a link without its scheme, or with the code after # or as the last path segment", () => {
    expect(codeFromJoinInput("play.example.com/?lobby=7KX2QM")).toBe("7KX2QM");
    expect(codeFromJoinInput("192.168.1.20:8787/?lobby=7KX2QM")).toBe("7KX2QM");
    expect(codeFromJoinInput("https://play.example.com/#7KX2QM")).toBe("7KX2QM");
    expect(codeFromJoinInput("https://play.example.com/join/7KX2QM")).toBe("7KX2QM");
  });

  it("finds the link in a message that was pasted whole", () => {
    expect(codeFromJoinInput("Join me! https://play.example.com/?lobby=7KX2QM see you")).toBe(
      "7KX2QM",
    );
  });

  it("finds nothing where there is no code", () => {
    expect(codeFromJoinInput("")).toBeNull();
    expect(codeFromJoinInput("7KX2Q")).toBeNull();
    expect(codeFromJoinInput("hello there")).toBeNull();
    expect(codeFromJoinInput("https://play.example.com/")).toBeNull();
    expect(codeFromJoinInput("https://play.example.com/?lobby=nope")).toBeNull();
    expect(codeFromJoinInput("https://play.example.com/%E0%A4%A")).toBeNull();
    expect(codeFromJoinInput("http://[::1")).toBeNull();
  });
});
