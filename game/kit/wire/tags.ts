/**
 * The u16 tags that name a stream or an action on the wire: a stable hash of the name (and of
 * the stream's codec id), so two builds agree on a tag without a handshake, and a peer whose
 * build differs in name or format sends a tag this build does not know: a counted drop, never
 * data read with the wrong codec. 16 bits keep the header small; a registry refuses a second
 * name with the same tag, so a collision shows the moment the colliding name is added.
 */
import { hashString32 } from "../../../shared/hash.ts";

export function streamTag(name: string, codecId: string): number {
  // JSON keeps the pair unambiguous: ("a:b", "c") and ("a", "b:c") hash differently.
  return fold16(hashString32(JSON.stringify(["stream", name, codecId])));
}

export function actionTag(name: string): number {
  return fold16(hashString32(JSON.stringify(["action", name])));
}

function fold16(hash: number): number {
  return (hash ^ (hash >>> 16)) & 0xffff;
}
