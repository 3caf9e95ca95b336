/**
 * Headless Chromium (Debian's `chromium`, no browser download) driven by
 * playwright-core: opens exported pages and JupyterLab, checks that every
 * figure was drawn, takes screenshots.
 */
import { mkdirSync } from "node:fs";
import { debianProgram } from "../cli/debian";
import { join } from "node:path";
import { chromium as playwright } from "playwright-core";
import type { Browser, ElementHandle, Page } from "playwright-core";

/**
 * Debian's chromium, installed with apt when missing and allowed (root), so
 * that `npm test` passes on a fresh machine; otherwise a clear error.
 */
export function chromium(): string {
  const found = debianProgram(["/usr/bin/chromium", "/usr/bin/chromium-browser"], "chromium");
  if (!found) throw new Error("chromium not found: install Debian's 'chromium' package (sudo apt install chromium) to run the rendering tests");
  return found;
}

// --headless is playwright's own; these keep the browser off the network and quiet.
export const CHROMIUM_FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return playwright.launch({ executablePath: chromium(), headless: true, args: CHROMIUM_FLAGS });
}

/** Where the browser tests leave their screenshots. */
export const SCREENSHOTS = join(__dirname, "..", "..", "out", "screenshots");

export interface FigureReport {
  /** Figure containers on the page. */
  total: number;
  /** For each: did plotly draw a non-empty SVG into it? */
  drawn: boolean[];
}

/**
 * Scrolls to each plotly figure of the page in turn (JupyterLab skips
 * rendering cells out of view) and waits up to `timeoutMs` for its SVG, then
 * reports each one. `selector` picks the figure containers.
 */
export async function figuresDrawn(page: Page, selector: string, timeoutMs = 30000): Promise<FigureReport> {
  // Runs in the page (the project compiles without DOM types, hence a string).
  // Drawn: an SVG with a size and some marks in it (lines, bars, heatmap images).
  const check = (i: number) => page.evaluate(`(() => {
    const f = document.querySelectorAll(${JSON.stringify(selector)})[${i}];
    const svg = f && f.querySelector("svg.main-svg"), box = svg && svg.getBoundingClientRect();
    return !!svg && box.width > 0 && box.height > 0 && f.querySelectorAll("path, image, rect.bg").length > 0;
  })()`) as Promise<boolean>;
  const figs = await page.$$(selector);
  const drawn: boolean[] = [];
  for (let i = 0; i < figs.length; i++) {
    await figs[i].scrollIntoViewIfNeeded();
    const end = Date.now() + timeoutMs;
    let ok = await check(i);
    while (!ok && Date.now() < end) {
      await page.waitForTimeout(200);
      ok = await check(i);
    }
    drawn.push(ok);
  }
  return { total: figs.length, drawn };
}

/** One PNG per figure (scrolled into view), `prefix-01.png`…; returns the paths. */
export async function screenshotFigures(page: Page, selector: string, dir: string, prefix: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  const figs = await page.$$(selector);
  for (let i = 0; i < figs.length; i++) {
    const file = join(dir, `${prefix}-${String(i + 1).padStart(2, "0")}.png`);
    await figs[i].scrollIntoViewIfNeeded();
    await figs[i].screenshot({ path: file });
    paths.push(file);
  }
  return paths;
}

export interface ImageReport {
  alt: string;
  /** Loaded, with a non-zero natural size, and laid out with a size on the page. */
  shown: boolean;
  /** Its screenshot. */
  file: string;
}

/**
 * Scrolls to each image in turn, waits up to `timeoutMs` for it to load and
 * be laid out, and takes one PNG of it, `prefix-01.png`… (the computational
 * graphs of the notebooks are SVG images in markdown cells).
 */
export async function imagesShown(images: ElementHandle[], dir: string, prefix: string, timeoutMs = 10000): Promise<ImageReport[]> {
  mkdirSync(dir, { recursive: true });
  const reports: ImageReport[] = [];
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    await img.scrollIntoViewIfNeeded();
    const state = () => img.evaluate((el: unknown) => {
      const im = el as { complete: boolean; naturalWidth: number; alt: string; getBoundingClientRect(): { width: number; height: number } };
      const box = im.getBoundingClientRect();
      return { alt: im.alt, shown: im.complete && im.naturalWidth > 0 && box.width > 0 && box.height > 0 };
    });
    const end = Date.now() + timeoutMs;
    let s = await state();
    while (!s.shown && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      s = await state();
    }
    const file = join(dir, `${prefix}-${String(i + 1).padStart(2, "0")}.png`);
    await img.screenshot({ path: file });
    reports.push({ ...s, file });
  }
  return reports;
}
