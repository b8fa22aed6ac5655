import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Every screen's test runs this: serious or critical WCAG violations fail the test. */
export async function expectNoSeriousA11yViolations(page: Page) {
  // Colours measured mid-transition (a toast fading in, or an older toast fading behind a new one)
  // are not what anyone reads: wait until no finite animation or transition has run for 250 ms —
  // one quiet frame is not enough, as a transition can start on the frame after React's commit —
  // and scan anyway if the page never settles.
  const quietKey = `__axeQuietSince${Math.random().toString(36).slice(2)}`;
  await page
    .waitForFunction(
      (key) => {
        const running = document
          .getAnimations()
          .some((a) => a.playState === "running" && a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY);
        const state = window as unknown as Record<string, number | undefined>;
        if (running) state[key] = undefined;
        else state[key] ??= performance.now();
        const since = state[key];
        return since !== undefined && performance.now() - since >= 250;
      },
      quietKey,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    "serious or critical accessibility violations",
  ).toEqual([]);
}
