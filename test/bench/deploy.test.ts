import { deployBench, renderDeployBench } from "../../lib/bench/deploy";
import { parseSizes } from "../../tools/bench";

describe("npm run bench -- --deploy's sizes", () => {
  it("are whole numbers from 1, sorted, each once", () => {
    expect(parseSizes("500, 50,200,50", "deploy")).toEqual([50, 200, 500]);
  });

  it.each(["0", "5x", "-3", "2.5"])("refuse %j, naming the option", (text) => {
    expect(() => parseSizes(`50,${text}`, "deploy")).toThrow(
      `--deploy expects a whole number ≥ 1 (got ${JSON.stringify(text)})`,
    );
  });
});

describe("the deploy benchmark's report", () => {
  const run = (licenseConfigurations: number, seconds: number) => ({
    licenseConfigurations,
    associations: licenseConfigurations * 10,
    resources: licenseConfigurations * 11 + 22,
    seconds,
  });

  it("gives seconds per resource and each size's ratio to the smallest, smallest first", () => {
    const bench = deployBench([run(500, 110.4), run(50, 11.44)]);
    expect(
      bench.cases.map((entry) => [entry.resources, entry.secondsPerResource, entry.ratioToSmallest]),
    ).toEqual([
      [572, 0.02, 1],
      [5522, 0.02, 1],
    ]);
    expect(bench).toMatchObject({ ratio: 1, flat: true, tolerance: 0.25 });
  });

  it("is flat up to 25 % more per resource at the largest size, and not beyond", () => {
    expect(deployBench([run(50, 11.44), run(500, 110.44 * 1.25)]).flat).toBe(true);
    expect(deployBench([run(50, 11.44), run(500, 110.44 * 1.3)])).toMatchObject({ ratio: 1.3, flat: false });
  });

  it("prints a row per size and the verdict", () => {
    const text = renderDeployBench(deployBench([run(50, 11.44), run(200, 88.4)]));
    expect(text).toContain("     50           500        572      11.4      0.0200        1.00");
    expect(text).toContain("    200          2000       2222      88.4      0.0398        1.99");
    expect(text).toContain(
      "Largest over smallest, seconds per resource: 1.99 — grows faster than the stack (more than 25 %)",
    );
  });

  it("says flat within the tolerance, and that it does not grow when it falls below it", () => {
    const verdict = (seconds500: number) =>
      renderDeployBench(deployBench([run(50, 11.44), run(500, seconds500)]))
        .split("\n")
        .pop();
    expect(verdict(110.44 * 1.1)).toBe(
      "Largest over smallest, seconds per resource: 1.10 — flat (within 25 %)",
    );
    expect(verdict(110.44 * 0.27)).toBe(
      "Largest over smallest, seconds per resource: 0.27 — does not grow (falls: fixed start-up costs spread over more resources)",
    );
  });

  it("refuses a run that left no resource", () => {
    expect(() =>
      deployBench([{ licenseConfigurations: 5, associations: 50, resources: 0, seconds: 3 }]),
    ).toThrow("the deploy of 5 configurations left no resource in the state");
  });
});
