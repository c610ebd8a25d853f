/**
 * The history store's costs: rows written per second one transaction per message against one
 * transaction per batch, what `append` costs the caller (the hub's hot path), the longest pause
 * one batch write puts on the event loop, and a replay query on a full database. Writes the
 * `## History store` section of bench/RESULTS.md.
 *
 * Run: deno run --allow-read --allow-write --allow-run bench/history_store.ts [--quick] [--no-write]
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatMarkdown, writeSection } from "./rudp.ts";
import { medianBy } from "./rudp/report.ts";
import { ROOT } from "./rudp/processes.ts";
import { openDatabase } from "../lib/store/open_database.ts";
import { MessageTable } from "../lib/store/message_table.ts";
import { HistoryStore, type NewMessage } from "../lib/store/mod.ts";
import { MAX_BATCH_ITEMS } from "../lib/core/flush_policy.ts";

/** Heading of the section this benchmark writes. */
export const HISTORY_HEADING = "## History store";
const TEXT = "a message of about the length people type in a chat, say sixty chars";

interface Run {
  perMessagePerSecond: number;
  batchedPerSecond: number;
  appendNs: number;
  writeNsPerMessage: number;
  longestBatchMs: number;
  replayUs: number;
}

function message(i: number): NewMessage {
  return {
    kind: "room",
    room: `#room${i % 10}`,
    from: `user${i % 100}`,
    text: TEXT,
    action: false,
    ts: 1_764_000_000_000 + i,
  };
}

/** Rows per second written one autocommit transaction per message. */
function perMessage(count: number): number {
  const dir = Deno.makeTempDirSync({ prefix: "history_bench_" });
  const { db, lock } = openDatabase(dir);
  const table = new MessageTable(db);
  const start = performance.now();
  for (let i = 1; i <= count; i++) table.insert([{ ...message(i), id: i }]);
  const seconds = (performance.now() - start) / 1000;
  db.close();
  lock.close();
  Deno.removeSync(dir, { recursive: true });
  return count / seconds;
}

/** The store as the hub uses it: appends, then the batches its timer would write. */
function batched(count: number): Omit<Run, "perMessagePerSecond"> {
  const dir = Deno.makeTempDirSync({ prefix: "history_bench_" });
  const store = HistoryStore.open(dir, { batching: { maxAgeMs: 3_600_000, maxItems: 1e9 } });
  let appendMs = 0;
  let writeMs = 0;
  let longestBatchMs = 0;
  for (let done = 0; done < count; done += MAX_BATCH_ITEMS) {
    const t0 = performance.now();
    for (let i = done; i < done + MAX_BATCH_ITEMS; i++) store.append(message(i));
    const t1 = performance.now();
    store.flush();
    const t2 = performance.now();
    appendMs += t1 - t0;
    writeMs += t2 - t1;
    longestBatchMs = Math.max(longestBatchMs, t2 - t1);
  }
  const replays = 200;
  const t3 = performance.now();
  for (let i = 0; i < replays; i++) {
    store.history({ requester: "user1", conversation: { room: `#room${i % 10}` }, limit: 50 });
  }
  const replayUs = ((performance.now() - t3) * 1000) / replays;
  store.close();
  Deno.removeSync(dir, { recursive: true });
  return {
    batchedPerSecond: count / ((appendMs + writeMs) / 1000),
    appendNs: (appendMs * 1e6) / count,
    writeNsPerMessage: (writeMs * 1e6) / count,
    longestBatchMs,
    replayUs,
  };
}

function measure(quick: boolean): Run {
  const runs: Run[] = [];
  for (let i = 0; i < 3; i++) {
    runs.push({
      perMessagePerSecond: perMessage(quick ? 2_000 : 20_000),
      ...batched(quick ? 20_000 : 200_000),
    });
  }
  const mid = (pick: (run: Run) => number) => pick(medianBy(runs, pick));
  return {
    perMessagePerSecond: mid((r) => r.perMessagePerSecond),
    batchedPerSecond: mid((r) => r.batchedPerSecond),
    appendNs: mid((r) => r.appendNs),
    writeNsPerMessage: mid((r) => r.writeNsPerMessage),
    longestBatchMs: mid((r) => r.longestBatchMs),
    replayUs: mid((r) => r.replayUs),
  };
}

function render(run: Run, command: string, quick: boolean): string {
  const n = (value: number, digits = 0) =>
    value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return [
    HISTORY_HEADING,
    "",
    `Run ${
      new Date().toISOString().slice(0, 19)
    }Z with \`${command}\`, median of 3, SQLite in WAL mode with`,
    `\`synchronous = NORMAL\` on the temp directory's disk. Messages of ${TEXT.length} characters in 10 rooms.`,
    `Per message: ${quick ? "2,000" : "20,000"} rows, one transaction each. Batched: ${
      quick ? "20,000" : "200,000"
    } rows through`,
    `\`HistoryStore\`, ${
      n(MAX_BATCH_ITEMS)
    } per transaction (\`MAX_BATCH_ITEMS\`). _append_ is what the hub pays per message on`,
    "its path; _write_ is the batch's cost per message, paid later on the event loop by the store's timer.",
    "",
    "| writes | rows/s | append ns/msg | write ns/msg | longest batch | replay of 50 |",
    "| ------ | ------ | ------------- | ------------ | ------------- | ------------ |",
    `| one transaction per message | ${n(run.perMessagePerSecond)} | – | ${
      n(1e9 / run.perMessagePerSecond)
    } | – | – |`,
    `| one per batch | ${n(run.batchedPerSecond)} | ${n(run.appendNs)} | ${
      n(run.writeNsPerMessage)
    } | ${n(run.longestBatchMs, 1)} ms | ${n(run.replayUs)} µs |`,
    "",
    `Batching writes ${
      n(run.batchedPerSecond / run.perMessagePerSecond, 1)
    } × the rows per second of a transaction per message.`,
  ].join("\n");
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, "no-write": { type: "boolean" } },
  });
  const quick = values.quick ?? false;
  const command = `deno run --allow-read --allow-write --allow-run bench/history_store.ts${
    quick ? " --quick" : ""
  }`;
  const section = render(measure(quick), command, quick);
  console.log(section);
  if (!quick && !values["no-write"]) {
    await writeSection(
      join(ROOT, "bench/RESULTS.md"),
      await formatMarkdown(section),
      HISTORY_HEADING,
    );
  }
}
