/** Which shard holds which lobby: a stable hash of the code, modulo the shard count. */
import { hashString32 } from "../../shared/hash.ts";
import type { Env } from "../env.ts";
import { readSettings } from "../settings.ts";
import type { Directory } from "./directory.ts";

/**
 * A stable hash of the code, modulo the shard count. Never change the hash: that moves
 * lobbies like a change of shard count, without the marker readers rely on (docs/scaling.md).
 */
export function shardIndex(code: string, shardCount: number): number {
  return hashString32(code) % shardCount;
}

/** Shard names carry only the index, so raising the count keeps every existing shard. */
export function shardName(index: number): string {
  return `shard-${index}`;
}

export function shardCount(env: Env): number {
  return readSettings(env).directoryShards;
}

export interface ShardForCode {
  readonly stub: DurableObjectStub<Directory>;
  /** The shard count the code was placed under; the shard keeps it with the entry. */
  readonly shardCount: number;
}

export function shardFor(env: Env, code: string): ShardForCode {
  const count = shardCount(env);
  return { stub: env.DIRECTORY.getByName(shardName(shardIndex(code, count))), shardCount: count };
}

export function allShards(env: Env): DurableObjectStub<Directory>[] {
  return Array.from({ length: shardCount(env) }, (_, index) =>
    env.DIRECTORY.getByName(shardName(index)),
  );
}

/** Any one shard: a sample of the directory that every quick-join draws differently. */
export function randomShard(env: Env): DurableObjectStub<Directory> {
  return env.DIRECTORY.getByName(shardName(Math.floor(Math.random() * shardCount(env))));
}
