import assert from "node:assert/strict";
import { renderPathSection } from "../../../bench/rudp/path_report.ts";
import type { Contender, PathRun } from "../../../bench/rudp/path_runs.ts";
import type { PathResults } from "../../../bench/rudp_path.ts";

const SIZE = 64 * 2 ** 20;

function run(contender: Contender, mbps: number): PathRun {
  return {
    contender,
    ok: mbps > 0,
    mbps,
    wallMs: mbps > 0 ? SIZE / mbps / 1000 : 1000,
    cpu: { server: 0.5, client: 0.5 },
    wireBytes: SIZE * (contender === "kcptun" ? 1.5 : 1.05),
    retransmitted: null,
    datagramBytes: null,
  };
}

function results(rows: PathResults["rows"], kcptunSkipped: string | null = null): PathResults {
  return {
    date: "2026-01-01T00:00:00Z",
    command: "deno run -A bench/rudp_path.ts",
    sizeBytes: SIZE,
    runs: 1,
    highPriority: true,
    kcptunSkipped,
    sealed: true,
    rows,
  };
}

function line(section: string, start: string): string {
  const found = section.split("\n").find((text) => text.startsWith(start));
  assert.ok(found !== undefined, `no line starting ${start}`);
  return found;
}

Deno.test("path section compares ours with kcptun and judges ahead of kcptun at 5% and 10%", () => {
  const section = renderPathSection(results([
    { lossPercent: 5, runs: [run("ours", 90), run("kcptun", 60)] },
    { lossPercent: 10, runs: [run("ours", 50), run("kcptun", 60)] },
  ]));
  assert.match(line(section, "| kcptun (fast3)"), /\| 60\.0 \| 60\.0 \|$/);
  assert.equal(line(section, "| ours ÷ kcptun"), "| ours ÷ kcptun | 1.50 × | 0.83 × |");
  assert.equal(
    line(section, "| 5% loss: ahead of kcptun"),
    "| 5% loss: ahead of kcptun | 1.50 × | yes |",
  );
  assert.equal(
    line(section, "| 10% loss: ahead of kcptun"),
    "| 10% loss: ahead of kcptun | 0.83 × | no |",
  );
  assert.match(line(section, "| 5% | kcptun"), /\| 1\.500 \| – \|$/);
  assert.match(section, /fast3, 4,096-packet send and receive windows, 1350-byte packets/);
});

Deno.test("path section says why kcptun did not run and marks its targets not run", () => {
  const section = renderPathSection(results(
    [{ lossPercent: 5, runs: [run("ours", 90), run("quic", 30), run("tcp", 40)] }],
    "kcptun-server not found (Debian: apt-get install kcptun)",
  ));
  assert.match(
    section,
    /kcptun did not run: kcptun-server not found \(Debian: apt-get install kcptun\)\./,
  );
  assert.ok(!section.includes("| kcptun (fast3)"));
  assert.ok(!section.includes("| ours ÷ kcptun"));
  assert.equal(
    line(section, "| 5% loss: ahead of kcptun"),
    "| 5% loss: ahead of kcptun | – | not run |",
  );
  assert.equal(
    line(section, "| 5% loss: at least 2 × QUIC"),
    "| 5% loss: at least 2 × QUIC | 3.00 × | yes |",
  );
});

Deno.test("path section marks a target not run when its rival was left out, not failed", () => {
  const section = renderPathSection(results([
    { lossPercent: 0, runs: [run("ours", 100), run("kcptun", 60)] },
    { lossPercent: 5, runs: [run("ours", 0), run("kcptun", 60)] },
  ]));
  assert.equal(
    line(section, "| 0% loss: at least Deno QUIC"),
    "| 0% loss: at least Deno QUIC | – | not run |",
  );
  assert.equal(
    line(section, "| 5% loss: at least 3 × TCP"),
    "| 5% loss: at least 3 × TCP | – | not run |",
  );
  assert.equal(
    line(section, "| 5% loss: ahead of kcptun"),
    "| 5% loss: ahead of kcptun | 0.00 × | no |",
  );
  assert.ok(!section.includes("| ours ÷ QUIC"));
});

Deno.test("path section says whether ours was sealed beside kcptun's --crypt none", () => {
  const rows = [{ lossPercent: 0, runs: [run("ours", 100), run("kcptun", 60)] }];
  const sealed = renderPathSection(results(rows));
  assert.match(sealed, /Ours seals every datagram \(ChaCha20-Poly1305\), kcptun encrypts nothing/);
  const unsealed = renderPathSection({ ...results(rows), sealed: false });
  assert.match(unsealed, /Neither encrypts: ours ran unsealed \(`CHAT_BENCH_UNSEALED=1`\)/);
});
