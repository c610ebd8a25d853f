/**
 * The README's tables of flags and commands say what the programs say: every flag `--help`
 * lists is in the README's table and nothing else is, with the same variable and default, and
 * the commands table is the `/help` list.
 */
import assert from "node:assert/strict";
import { CLIENT_USAGE } from "../lib/cli/client_config.ts";
import { SERVER_USAGE } from "../lib/cli/server_config.ts";
import { helpLines } from "../lib/cli/slash_command.ts";

const README = await Deno.readTextFile(new URL("../README.md", import.meta.url));

/** One flag as a table row or a usage entry shows it. */
interface Flag {
  variable: string;
  /** The default as written, or "" when none is given. */
  default: string;
}

/** The rows of the Markdown table whose header starts with `header`, as cells. */
function tableRows(header: string): string[][] {
  const lines = README.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${header}`));
  assert.ok(start >= 0, `README has no table headed '${header}'`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.replaceAll("\\|", "\u0000").split("|").slice(1, -1);
    rows.push(cells.map((c) => c.trim().replaceAll("\u0000", "|")));
  }
  return rows;
}

function readmeFlags(header: string): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  for (const [flag = "", variable = "", fallback = ""] of tableRows(header)) {
    const name = /^`(--[\w-]+)/.exec(flag)?.[1];
    assert.ok(name !== undefined, `not a flag cell: ${flag}`);
    flags.set(name, {
      variable: variable.replaceAll("`", ""),
      default: fallback.replaceAll("`", ""),
    });
  }
  return flags;
}

/** Each option of a usage text with what its description says, continuation lines joined. */
function usageFlags(usage: string): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  let current: { name: string; text: string } | null = null;
  const finish = () => {
    if (current === null) return;
    const variable = /\((CHAT_[A-Z_]+)/.exec(current.text)?.[1] ?? "";
    const fallback = /default:? ([^,)]+)/.exec(current.text)?.[1]?.trim() ?? "";
    flags.set(current.name, { variable, default: fallback });
  };
  for (const line of usage.split("\n")) {
    const option = /^ {2}(?:-\w, )?(--[\w-]+)\S*(?: \S+)?\s+(.*)$/.exec(line);
    if (option !== null) {
      finish();
      current = { name: option[1]!, text: option[2]! };
    } else if (current !== null && /^ {8,}\S/.test(line)) {
      current.text += " " + line.trim();
    } else {
      finish();
      current = null;
    }
  }
  finish();
  flags.delete("--help");
  flags.delete("--version");
  return flags;
}

for (
  const [program, usage, header] of [
    ["chat-server", SERVER_USAGE, "server flag"],
    ["chat-client", CLIENT_USAGE, "client flag"],
  ] as const
) {
  Deno.test(`README's ${header} table lists exactly the flags of ${program} --help`, () => {
    const documented = readmeFlags(header);
    const helped = usageFlags(usage);
    assert.deepEqual([...documented.keys()].sort(), [...helped.keys()].sort());
  });

  Deno.test(`README's ${header} table gives each flag the variable and default of --help`, () => {
    const documented = readmeFlags(header);
    for (const [name, flag] of usageFlags(usage)) {
      const row = documented.get(name);
      if (row === undefined) continue; // reported by the test above
      assert.equal(row.variable, flag.variable, `${name}: variable`);
      if (flag.default === "") continue;
      // "1073741824: 1 GiB" in the help is "1 GiB" in the table, "1200, or ..." is "1200".
      const same = flag.default === row.default || flag.default.includes(row.default) &&
          row.default !== "";
      assert.ok(same, `${name}: README says '${row.default}', --help '${flag.default}'`);
    }
  });
}

Deno.test("README says both programs take --help and --version", () => {
  assert.match(README, /Both take `--help` and `--version`/);
  for (const usage of [SERVER_USAGE, CLIENT_USAGE]) {
    assert.match(usage, /-h, --help/);
    assert.match(usage, /-V, --version/);
  }
});

Deno.test("README's command table lists exactly the commands /help lists, with their arguments", () => {
  const documented = tableRows("command").map(([cell = ""]) => cell.replaceAll("`", ""));
  const helped = helpLines()
    .map((line) => /^(\/\S*(?: [A-Z[][^ ]*(?: [A-Z]+)?)?)\s{2,}/.exec(line)?.[1])
    .filter((synopsis): synopsis is string => synopsis !== undefined);
  assert.deepEqual(documented, helped);
});
