/**
 * Renders build/icon.svg into every icon file electron-builder needs, so packaging never has to convert
 * icons itself (electron-builder 26 would download its icon tool for that):
 *
 * - build/icon.png: 1024 px, the master (also what electron-builder falls back to);
 * - build/icons/<N>x<N>.png: the Linux hicolor set for AppImage and deb (linux.icon points at the folder);
 * - build/icon.ico: Windows (nsis and the .exe), PNG entries 16 to 256 px;
 * - build/icon.icns: macOS (the .app and the dmg), PNG entries 16 to 1024 px.
 *
 * The SVG is rasterized by Debian's Chromium (or CHROMIUM_PATH) through playwright-core, at each size
 * separately rather than scaled down from 1024, so small sizes stay sharp. The ICO and ICNS containers are
 * written here: both are a small header and a table around the PNGs.
 *
 * Run: npm run icons   (node --import tsx scripts/make-icons.ts)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/chromium';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS element types that hold PNG data, with their pixel size (Apple's "icp4"... "ic10"). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
] as const;
/**
 * Windows and Linux show icons of 48 px and below in title bars, task bars and file lists, where the margin
 * that Apple's grid puts around the tile (100 px of 1024) would waste a fifth of the pixels: those sizes are
 * rendered cropped to the tile. macOS gets the margin at every size, as its other icons have.
 */
export const TIGHT_MAX_SIZE = 48;
const FULL_VIEWBOX = 'viewBox="0 0 1024 1024"';
const TIGHT_VIEWBOX = 'viewBox="92 92 840 840"';

export interface SizedPng {
  size: number;
  png: Buffer;
}

/** An ICO file whose entries are PNG images (Windows Vista and later read these; 256 px is stored as 0). */
export function encodeIco(images: readonly SizedPng[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(images.length, 4);
  const directory = Buffer.alloc(16 * images.length);
  let offset = header.length + directory.length;
  images.forEach(({ size, png }, i) => {
    if (size < 1 || size > 256) throw new RangeError(`ICO entries are 1 to 256 px, not ${size}`);
    const entry = 16 * i;
    directory.writeUInt8(size === 256 ? 0 : size, entry); // width
    directory.writeUInt8(size === 256 ? 0 : size, entry + 1); // height
    directory.writeUInt8(0, entry + 2); // no palette
    directory.writeUInt8(0, entry + 3); // reserved
    directory.writeUInt16LE(1, entry + 4); // color planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(png.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...images.map((image) => image.png)]);
}

/** An ICNS file: "icns", the total length, then one element per image (4-byte type, 4-byte length incl. header). */
export function encodeIcns(elements: readonly { type: string; png: Buffer }[]): Buffer {
  const parts = elements.map(({ type, png }) => {
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw new RangeError(`an ICNS type is 4 ASCII characters, not "${type}"`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((sum, part) => sum + part.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** The SVG with its viewBox cropped to the tile, for the small Windows and Linux sizes. */
export function tightSvg(svg: string): string {
  if (!svg.includes(FULL_VIEWBOX)) throw new Error(`build/icon.svg must declare ${FULL_VIEWBOX}`);
  return svg.replace(FULL_VIEWBOX, TIGHT_VIEWBOX);
}

/** Rasterizes `svg` at each size in one headless Chromium, with a transparent background. */
export async function renderPngs(
  svg: string,
  sizes: readonly number[],
  executablePath = CHROMIUM_PATH,
): Promise<Map<number, Buffer>> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1024 }, deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent"><img id="icon" alt="" src="${src}"></body></html>`,
    );
    const result = new Map<number, Buffer>();
    for (const size of sizes) {
      await page.evaluate(async (px) => {
        const img = document.getElementById('icon') as HTMLImageElement;
        img.width = px;
        img.height = px;
        await img.decode();
      }, size);
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: size, height: size }, omitBackground: true });
      result.set(size, png);
    }
    return result;
  } finally {
    await browser.close();
  }
}

function pick(pngs: Map<number, Buffer>, size: number): Buffer {
  const png = pngs.get(size);
  if (!png) throw new Error(`no ${size} px rendering`);
  return png;
}

export async function makeIcons(buildDir: string): Promise<string[]> {
  const svg = await readFile(join(buildDir, 'icon.svg'), 'utf8');
  const allSizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, size]) => size)])];
  const framed = await renderPngs(svg, allSizes);
  const tight = await renderPngs(
    tightSvg(svg),
    allSizes.filter((size) => size <= TIGHT_MAX_SIZE),
  );
  const forWindowsAndLinux = (size: number): Buffer =>
    size <= TIGHT_MAX_SIZE ? pick(tight, size) : pick(framed, size);

  const written: string[] = [];
  const write = async (path: string, data: Buffer): Promise<void> => {
    await writeFile(path, data);
    written.push(path);
  };
  await mkdir(join(buildDir, 'icons'), { recursive: true });
  await write(join(buildDir, 'icon.png'), pick(framed, 1024));
  for (const size of LINUX_SIZES) {
    await write(join(buildDir, 'icons', `${size}x${size}.png`), forWindowsAndLinux(size));
  }
  await write(
    join(buildDir, 'icon.ico'),
    encodeIco(ICO_SIZES.map((size) => ({ size, png: forWindowsAndLinux(size) }))),
  );
  await write(
    join(buildDir, 'icon.icns'),
    encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: pick(framed, size) }))),
  );
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const buildDir = resolve(fileURLToPath(new URL('../build', import.meta.url)));
  const written = await makeIcons(buildDir);
  for (const path of written) console.log(path);
}
