// Renders the app's PNG icons (192 and 512 px, plain and maskable) from the SVGs in public/icons with Chromium.
// Run after changing an SVG: node scripts/generate-icons.mjs
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './find-chromium.mjs';

const icons = [
  ['public/icons/icon.svg', 'public/icons/icon', [192, 512]],
  ['public/icons/maskable.svg', 'public/icons/maskable', [512]],
];

const browser = await chromium.launch(chromiumLaunchOptions());
for (const [svg, out, sizes] of icons) {
  const markup = readFileSync(svg, 'utf8');
  for (const size of sizes) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`,
    );
    await page.screenshot({ path: `${out}-${size}.png`, omitBackground: true });
    await page.close();
    console.log(`${out}-${size}.png`);
  }
}
await browser.close();
