/**
 * Packaging without Electron's binary (it cannot be downloaded here): electron-builder.yml against electron-builder's
 * schema and its own validation, the icon files parsed byte by byte, and electron-builder itself run on this config
 * for Linux, Windows and macOS with a stand-in Electron (Electron's file layout, and a fuse wire in the binary where
 * Electron has one, so @electron/fuses can flip it).
 *
 * What the stand-in run proves: the app is packed into an asar with its entry file, every fuse is flipped as
 * configured, the macOS bundle is re-signed ad hoc right after its fuses are flipped, icons reach the .exe, the
 * .app and the hicolor theme, asar integrity is embedded where Electron checks it, and the deb and AppImage get the
 * maintainer, homepage, desktop entry and icons electron-builder computes for them. It stops where a downloaded tool
 * would take over, through electron-builder's own `effectiveOptionComputed` hook: fpm (deb), appimagetool (AppImage).
 * Not covered here, and built for real by CI's `npm run dist` on each OS: NSIS (needs 7-Zip and NSIS downloads),
 * dmg (needs macOS's hdiutil), zip (needs 7-Zip), and code signing.
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import type * as Asar from '@electron/asar';
import type * as Fuses from '@electron/fuses';
import type * as BuilderConfig from 'app-builder-lib/out/util/config/config';
import type * as IconConverter from 'app-builder-lib/out/util/iconConverter';
import type * as Plist from 'app-builder-lib/out/util/plist';
import type * as BuilderUtil from 'builder-util';
import type * as Resedit from 'resedit';
import { Ajv } from 'ajv';
import { Arch, build, Platform } from 'electron-builder';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIcns, encodeIco, ICNS_TYPES, ICO_SIZES, LINUX_SIZES, tightSvg } from '../../scripts/make-icons';

// electron-builder's internals and its own dependencies, resolved from where electron-builder finds them.
const fromProject = createRequire(import.meta.url);
const fromBuilder = createRequire(fromProject.resolve('electron-builder/package.json'));
const fromBuilderLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'));
const builderConfig = fromBuilderLib('./out/util/config/config') as typeof BuilderConfig;
const iconConverter = fromBuilderLib('./out/util/iconConverter') as typeof IconConverter;
const plist = fromBuilderLib('./out/util/plist') as typeof Plist;
const { DebugLogger } = fromBuilderLib('builder-util') as typeof BuilderUtil;
const fuses = fromBuilderLib('@electron/fuses') as typeof Fuses;
const asar = fromBuilderLib('@electron/asar') as typeof Asar;
const resedit = fromBuilderLib('resedit') as typeof Resedit;

type Json = Record<string, unknown>;
const ROOT = resolve('.');
const BUILD = join(ROOT, 'build');
const config = load(readFileSync('electron-builder.yml', 'utf8')) as Json & {
  appId: string;
  productName: string;
  electronFuses: Record<string, boolean>;
  mac: Json;
  win: Json;
  linux: Json & { executableName: string; maintainer: string };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Json & {
  name: string;
  homepage: string;
  author: { name: string; email: string };
  desktopName: string;
  scripts: Record<string, string>;
};

// ---- file formats, parsed independently of the script that writes them -------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function parsePng(data: Buffer): { width: number; height: number; colorType: number } {
  if (data.length < 33 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  if (data.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without IHDR first');
  if (data.toString('latin1', data.length - 8, data.length - 4) !== 'IEND') throw new Error('PNG without IEND last');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), colorType: data.readUInt8(25) };
}

interface IcoEntry {
  width: number;
  height: number;
  bitCount: number;
  data: Buffer;
}
function parseIco(file: Buffer): IcoEntry[] {
  if (file.readUInt16LE(0) !== 0 || file.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  const count = file.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const at = 6 + 16 * i;
    const size = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    if (offset < 6 + 16 * count || offset + size > file.length) throw new Error(`ICO entry ${i} out of bounds`);
    return {
      width: file.readUInt8(at) || 256,
      height: file.readUInt8(at + 1) || 256,
      bitCount: file.readUInt16LE(at + 6),
      data: file.subarray(offset, offset + size),
    };
  });
}

function parseIcns(file: Buffer): { type: string; data: Buffer }[] {
  if (file.toString('latin1', 0, 4) !== 'icns') throw new Error('not an ICNS');
  if (file.readUInt32BE(4) !== file.length) throw new Error('ICNS length does not match the file');
  const elements: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at + 4);
    if (length < 8 || at + length > file.length) throw new Error(`ICNS element at ${at} out of bounds`);
    elements.push({ type: file.toString('latin1', at, at + 4), data: file.subarray(at + 8, at + length) });
    at += length;
  }
  return elements;
}

/** Each configured fuse as its FuseV1Options index, and the byte @electron/fuses writes for it. */
function expectedFuseWire(): Map<number, number> {
  const expected = new Map<number, number>();
  for (const [key, value] of Object.entries(config.electronFuses)) {
    if (key === 'resetAdHocDarwinSignature') continue; // an instruction to @electron/fuses, not a fuse
    const index = (fuses.FuseV1Options as unknown as Record<string, number>)[key[0]!.toUpperCase() + key.slice(1)];
    if (index === undefined) throw new Error(`electronFuses.${key} is not a fuse @electron/fuses knows`);
    expected.set(index, value ? 0x31 : 0x30);
  }
  return expected;
}

async function fuseWire(binary: string): Promise<Map<number, number>> {
  const wire = (await fuses.getCurrentFuseWire(binary)) as unknown as Record<string, number | string>;
  const expected = expectedFuseWire();
  return new Map([...expected.keys()].map((index) => [index, Number(wire[index])]));
}

/** What Electron compares against at startup: SHA-256 of the asar's header. */
function asarHeaderHash(archive: string): string {
  return createHash('sha256').update(asar.getRawHeader(archive).headerString).digest('hex');
}

// ---- electron-builder.yml ------------------------------------------------------------------------------------------

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The same schema does reject a misspelt option.
    expect(validate({ ...config, linux: { ...config.linux, tagret: ['deb'] } })).toBe(false);
  });

  it("passes electron-builder's own validation, as merged with package.json", async () => {
    const merged = await builderConfig.getConfig(ROOT, 'electron-builder.yml', null);
    await expect(builderConfig.validateConfiguration(merged, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      builderConfig.validateConfiguration(
        { ...merged, mac: { ...merged.mac, signn: true } } as never,
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/configuration\.mac/);
  });

  it('targets mac dmg+zip, windows nsis, linux AppImage+deb and flips the security fuses', () => {
    expect(config).toMatchObject({
      appId: expect.any(String),
      productName: 'SF Token Inspector',
      mac: { target: ['dmg', 'zip'] },
      win: { target: ['nsis'] },
      linux: { target: ['AppImage', 'deb'] },
      electronFuses: {
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableCookieEncryption: true,
        onlyLoadAppFromAsar: true,
        enableEmbeddedAsarIntegrityValidation: true,
        // The renderer comes from app://, so file:// keeps no extra privileges.
        grantFileProtocolExtraPrivileges: false,
        // An unsigned Apple Silicon build must still launch after its fuses are flipped.
        resetAdHocDarwinSignature: true,
      },
    });
    expect(() => expectedFuseWire()).not.toThrow();
  });

  it('gives the deb a maintainer with an email and a homepage, consistent with package.json', () => {
    expect(config.linux.maintainer).toBe(`${pkg.author.name} <${pkg.author.email}>`);
    expect(pkg.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/);
    expect(new URL(pkg.homepage).protocol).toBe('https:');
  });

  it('names the Linux executable, the .desktop file and the window class after desktopName', () => {
    expect(pkg.desktopName).toBe(`${config.linux.executableName}.desktop`);
    expect(config.linux).toMatchObject({ syncDesktopName: true, icon: 'icons', category: 'Development' });
  });

  it('points every platform at icons that electron-builder uses as they are, without converting them', async () => {
    expect(config.mac).toMatchObject({ icon: 'icon.icns' });
    expect(config.win).toMatchObject({ icon: 'icon.ico' });
    const outDir = mkdtempSync(join(tmpdir(), 'sfti-icons-'));
    try {
      const resolveIcon = (source: string, format: 'icns' | 'ico' | 'set') =>
        iconConverter.convertIcon({ sources: [source], fallbackSources: [], roots: [BUILD, ROOT], format, outDir });
      // Returned as the very files in build/: a conversion would write to outDir (and download electron-builder's
      // icon tool first).
      expect((await resolveIcon('icon.icns', 'icns')).icons).toEqual([{ file: join(BUILD, 'icon.icns'), size: 0 }]);
      expect((await resolveIcon('icon.ico', 'ico')).icons).toEqual([{ file: join(BUILD, 'icon.ico'), size: 256 }]);
      expect((await resolveIcon('icons', 'set')).icons).toEqual(
        LINUX_SIZES.map((size) => ({ file: join(BUILD, 'icons', `${size}x${size}.png`), size })),
      );
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});

// ---- icons ---------------------------------------------------------------------------------------------------------

describe('icons in build/', () => {
  it('has the 1024 px master and the Linux set, as RGBA PNGs of the size their names say', () => {
    expect(parsePng(readFileSync(join(BUILD, 'icon.png')))).toEqual({ width: 1024, height: 1024, colorType: 6 });
    for (const size of LINUX_SIZES) {
      expect(parsePng(readFileSync(join(BUILD, 'icons', `${size}x${size}.png`))), `${size}x${size}.png`).toEqual({
        width: size,
        height: size,
        colorType: 6,
      });
    }
  });

  it('has an ICO with PNG entries from 16 to 256 px, each the size its directory entry says', () => {
    const entries = parseIco(readFileSync(join(BUILD, 'icon.ico')));
    expect(entries.map((entry) => entry.width)).toEqual([...ICO_SIZES]);
    for (const entry of entries) {
      expect(entry.height).toBe(entry.width);
      expect(entry.bitCount).toBe(32);
      expect(parsePng(entry.data)).toMatchObject({ width: entry.width, height: entry.width });
    }
  });

  it('has an ICNS with PNG elements from 16 to 1024 px under the types macOS reads them by', () => {
    const elements = parseIcns(readFileSync(join(BUILD, 'icon.icns')));
    expect(elements.map(({ type, data }) => [type, parsePng(data).width])).toEqual(ICNS_TYPES.map((t) => [...t]));
    for (const { data } of elements) expect(parsePng(data).height).toBe(parsePng(data).width);
  });

  it('comes from build/icon.svg, which scripts/make-icons.ts can crop for the small sizes', () => {
    const svg = readFileSync(join(BUILD, 'icon.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(tightSvg(svg)).not.toBe(svg);
    expect(() => tightSvg(svg.replace('viewBox="0 0 1024 1024"', 'viewBox="0 0 512 512"'))).toThrow(/viewBox/);
  });

  it("has container writers (scripts/make-icons.ts) whose output these parsers read back, and which refuse what a format can't hold", () => {
    const png = (size: number) => {
      const data = Buffer.from(readFileSync(join(BUILD, 'icons', `${size}x${size}.png`)));
      return { size, png: data };
    };
    const ico = parseIco(encodeIco([png(16), png(256)]));
    expect(ico.map((entry) => [entry.width, entry.data.equals(png(entry.width).png)])).toEqual([
      [16, true],
      [256, true],
    ]);
    expect(() => encodeIco([png(512)])).toThrow(RangeError);
    const icns = parseIcns(encodeIcns([{ type: 'icp4', png: png(16).png }]));
    expect(icns).toEqual([{ type: 'icp4', data: png(16).png }]);
    expect(() => encodeIcns([{ type: 'ic0', png: png(16).png }])).toThrow(RangeError);
  });
});

// ---- electron-builder on a stand-in Electron -----------------------------------------------------------------------

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/**
 * Electron 45's fuse wire as it ships: version 1, 9 fuses (RunAsNode on, cookie encryption off, NODE_OPTIONS on, CLI
 * inspect on, asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on, Wasm trap handlers on).
 */
const STOCK_FUSE_WIRE = Buffer.concat([Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, 9]), Buffer.from('101100011')]);

function plistXml(entries: Record<string, string>): string {
  const body = Object.entries(entries)
    .map(([key, value]) => `<key>${key}</key><string>${value}</string>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>${body}</dict></plist>\n`;
}

function makeStandInElectron(dir: string, platform: 'linux' | 'win' | 'mac', version: string): void {
  if (platform === 'mac') {
    const contents = join(dir, 'Electron.app', 'Contents');
    const framework = join(contents, 'Frameworks', 'Electron Framework.framework');
    mkdirSync(join(contents, 'MacOS'), { recursive: true });
    mkdirSync(join(contents, 'Resources'), { recursive: true });
    mkdirSync(framework, { recursive: true });
    writeFileSync(
      join(contents, 'Info.plist'),
      plistXml({
        CFBundleExecutable: 'Electron',
        CFBundleIdentifier: 'com.github.Electron',
        CFBundleName: 'Electron',
        CFBundleDisplayName: 'Electron',
        CFBundleIconFile: 'electron.icns',
        CFBundlePackageType: 'APPL',
        CFBundleVersion: version,
        CFBundleShortVersionString: version,
      }),
    );
    writeFileSync(join(contents, 'MacOS', 'Electron'), 'stand-in');
    writeFileSync(join(contents, 'Resources', 'electron.icns'), 'stand-in');
    writeFileSync(join(framework, 'Electron Framework'), Buffer.concat([Buffer.from('stand-in'), STOCK_FUSE_WIRE]));
    for (const helper of [
      'Electron Helper',
      'Electron Helper (Renderer)',
      'Electron Helper (GPU)',
      'Electron Helper (Plugin)',
    ]) {
      const helperContents = join(contents, 'Frameworks', `${helper}.app`, 'Contents');
      mkdirSync(join(helperContents, 'MacOS'), { recursive: true });
      writeFileSync(
        join(helperContents, 'Info.plist'),
        plistXml({
          CFBundleExecutable: helper,
          CFBundleIdentifier: 'com.github.Electron.helper',
          CFBundleName: helper,
        }),
      );
      writeFileSync(join(helperContents, 'MacOS', helper), 'stand-in');
    }
    return;
  }
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  writeFileSync(join(dir, 'locales', 'en-US.pak'), 'stand-in');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
  writeFileSync(join(dir, 'version'), version);
  if (platform === 'linux') {
    writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), STOCK_FUSE_WIRE]));
    chmodSync(join(dir, 'electron'), 0o755);
    return;
  }
  // A real (empty) PE with one version-info language, as electron-builder's resource editing expects, and the fuse
  // wire appended after its sections.
  const exe = resedit.NtExecutable.createEmpty(false, false);
  const resources = resedit.NtExecutableResource.from(exe);
  const versionInfo = resedit.Resource.VersionInfo.createEmpty();
  versionInfo.lang = 1033;
  versionInfo.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron', FileDescription: 'Electron' });
  versionInfo.outputToResourceEntries(resources.entries);
  resources.outputResource(exe);
  exe.setExtraData(STOCK_FUSE_WIRE);
  writeFileSync(join(dir, 'electron.exe'), Buffer.from(exe.generate()));
}

interface DebOptions {
  args: string[];
  desktop: string;
}
interface AppImageOptions {
  desktop: string;
  desktopFileName: string;
}

describe.runIf(process.platform === 'linux')('electron-builder on this config, with a stand-in Electron', () => {
  let work = '';
  let project = '';
  let output = '';
  const oldPath = process.env['PATH'];
  const deb: DebOptions[] = [];
  const appImage: AppImageOptions[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sfti-pack-'));
    project = join(work, 'app');
    output = join(work, 'dist');
    const electronVersion = (JSON.parse(readFileSync(fromProject.resolve('electron/package.json'), 'utf8')) as Json)[
      'version'
    ] as string;

    // The project as electron-builder sees it: package.json without dependencies (so nothing to collect), a main
    // entry file, and build/ as committed.
    const { dependencies: _d, devDependencies: _dd, scripts: _s, ...metadata } = pkg;
    mkdirSync(join(project, 'out', 'main'), { recursive: true });
    writeFileSync(join(project, 'out', 'main', 'index.js'), '// stand-in main\n');
    writeFileSync(join(project, 'package.json'), JSON.stringify(metadata, null, 2));
    cpSync(BUILD, join(project, 'build'), { recursive: true });

    // @electron/fuses runs `codesign` when asked to reset a macOS signature: this one records how it was called and
    // what the framework's fuses were at that moment.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'codesign'),
      [
        '#!/bin/sh',
        `printf '%s\\n' "$@" > '${work}/codesign-args'`,
        'for last in "$@"; do :; done',
        `cp "$last/Contents/Frameworks/Electron Framework.framework/Electron Framework" '${work}/framework-at-codesign'`,
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'codesign'), 0o755);
    process.env['PATH'] = `${bin}${delimiter}${oldPath ?? ''}`;

    const targets = [
      { platform: Platform.LINUX, name: 'linux', targets: ['dir', 'deb', 'AppImage'], arch: Arch.x64 },
      { platform: Platform.WINDOWS, name: 'win', targets: ['dir'], arch: Arch.x64 },
      { platform: Platform.MAC, name: 'mac', targets: ['dir'], arch: Arch.arm64 },
    ] as const;
    for (const target of targets) {
      const electronDist = join(work, `electron-${target.name}`);
      makeStandInElectron(electronDist, target.name, electronVersion);
      await build({
        projectDir: project,
        targets: target.platform.createTarget([...target.targets], target.arch),
        publish: 'never',
        config: {
          ...(structuredClone(config) as object),
          directories: { output, buildResources: 'build' },
          electronDist,
          electronVersion,
          npmRebuild: false,
        },
        // Called by the deb and AppImage targets with what they would hand fpm / appimagetool; true stops there.
        effectiveOptionComputed: async (options: unknown) => {
          if (Array.isArray(options)) {
            const [args, desktopFile] = options as [string[], string];
            deb.push({ args, desktop: readFileSync(desktopFile, 'utf8') });
          } else {
            appImage.push(options as AppImageOptions);
          }
          return true;
        },
      });
    }
  }, 60_000);

  afterAll(() => {
    process.env['PATH'] = oldPath;
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const expectAsar = (archive: string) => {
    const files = asar.listPackage(archive, { isPack: false }).map((file) => file.split(sep).join('/'));
    expect(files).toEqual(expect.arrayContaining(['/package.json', '/out/main/index.js']));
  };

  it('Linux: packs the app into an asar next to the sf-token-inspector executable, with every fuse flipped', async () => {
    const dir = join(output, 'linux-unpacked');
    expectAsar(join(dir, 'resources', 'app.asar'));
    expect(await fuseWire(join(dir, config.linux.executableName))).toEqual(expectedFuseWire());
  });

  it('deb: hands fpm the maintainer, homepage, icons in every size and the desktop entry', () => {
    expect(deb).toHaveLength(1);
    const { args, desktop } = deb[0]!;
    const option = (name: string) => args[args.indexOf(name) + 1];
    expect(option('--name')).toBe(pkg.name);
    expect(option('--maintainer')).toBe(config.linux.maintainer);
    expect(option('--url')).toBe(pkg.homepage);
    expect(option('--license')).toBe(pkg['license']);
    for (const size of LINUX_SIZES) {
      expect(args).toContain(
        `${join(project, 'build', 'icons', `${size}x${size}.png`)}=/usr/share/icons/hicolor/${size}x${size}/apps/sf-token-inspector.png`,
      );
    }
    expect(args.some((arg) => arg.endsWith(`=/usr/share/applications/${pkg.desktopName}`))).toBe(true);
    expect(desktop).toContain(`Exec="/opt/${config.productName}/${config.linux.executableName}" %U\n`);
    expect(desktop).toContain('Icon=sf-token-inspector\n');
    expect(desktop).toContain(`StartupWMClass=${pkg.desktopName.replace(/\.desktop$/, '')}\n`);
    expect(desktop).toContain('Categories=Development;\n');
  });

  it('AppImage: names its desktop entry after desktopName, with the window class Electron will report', () => {
    expect(appImage).toHaveLength(1);
    expect(appImage[0]!.desktopFileName).toBe(pkg.desktopName);
    expect(appImage[0]!.desktop).toContain(`StartupWMClass=${pkg.desktopName.replace(/\.desktop$/, '')}\n`);
    expect(appImage[0]!.desktop).toContain(`Name=${config.productName}\n`);
  });

  it('Windows: the .exe carries the icon, the product name, the asar integrity record and the flipped fuses', async () => {
    const dir = join(output, 'win-unpacked');
    const exePath = join(dir, `${config.productName}.exe`);
    const archive = join(dir, 'resources', 'app.asar');
    expectAsar(archive);
    expect(await fuseWire(exePath)).toEqual(expectedFuseWire());

    const entries = resedit.NtExecutableResource.from(resedit.NtExecutable.from(readFileSync(exePath))).entries;
    const [group] = resedit.Resource.IconGroupEntry.fromEntries(entries);
    expect(group?.icons.map((icon) => icon.width || 256)).toEqual([...ICO_SIZES]);
    const iconImages = entries.filter((entry) => entry.type === 3).map((entry) => Buffer.from(entry.bin));
    const icoImages = parseIco(readFileSync(join(BUILD, 'icon.ico'))).map((entry) => entry.data);
    expect(iconImages.map((image) => icoImages.some((png) => png.equals(image)))).toEqual(icoImages.map(() => true));

    const [versionInfo] = resedit.Resource.VersionInfo.fromEntries(entries);
    expect(versionInfo?.getStringValues({ lang: 1033, codepage: 1200 })).toMatchObject({
      ProductName: config.productName,
      FileVersion: pkg['version'],
    });
    const integrity = entries.find((entry) => entry.type === 'INTEGRITY' && entry.id === 'ELECTRONASAR');
    expect(JSON.parse(Buffer.from(integrity!.bin).toString('utf8'))).toEqual([
      { file: 'resources\\app.asar', alg: 'SHA256', value: asarHeaderHash(archive) },
    ]);
  });

  it('macOS: the .app carries the bundle id, the icon, the asar integrity record and the flipped fuses', async () => {
    const app = join(output, 'mac-arm64', `${config.productName}.app`);
    const archive = join(app, 'Contents', 'Resources', 'app.asar');
    expectAsar(archive);
    const info = await plist.parsePlistFile<Json>(join(app, 'Contents', 'Info.plist'));
    expect(info).toMatchObject({
      CFBundleIdentifier: config.appId,
      CFBundleName: config.productName,
      CFBundleIconFile: 'icon.icns',
      LSApplicationCategoryType: 'public.app-category.developer-tools',
      ElectronAsarIntegrity: { 'Resources/app.asar': { algorithm: 'SHA256', hash: asarHeaderHash(archive) } },
    });
    expect(
      readFileSync(join(app, 'Contents', 'Resources', 'icon.icns')).equals(readFileSync(join(BUILD, 'icon.icns'))),
    ).toBe(true);
    expect(await fuseWire(app)).toEqual(expectedFuseWire());
  });

  it('macOS: re-signs the whole bundle ad hoc after the fuses are flipped, so Apple Silicon accepts it unsigned', async () => {
    const app = join(output, 'mac-arm64', `${config.productName}.app`);
    expect(existsSync(join(work, 'codesign-args'))).toBe(true);
    const args = readFileSync(join(work, 'codesign-args'), 'utf8').trimEnd().split('\n');
    expect(args.slice(0, 3)).toEqual(['--sign', '-', '--force']);
    expect(args).toContain('--deep');
    expect(args.at(-1)).toBe(app);
    expect(await fuseWire(join(work, 'framework-at-codesign'))).toEqual(expectedFuseWire());
  });
});

// ---- .github/workflows/ci.yml --------------------------------------------------------------------------------------

describe('.github/workflows/ci.yml', () => {
  const source = readFileSync('.github/workflows/ci.yml', 'utf8');
  type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Json; env?: Json };
  const workflow = load(source) as Json & {
    jobs: Record<string, Json & { steps: Step[]; strategy: { matrix: { include: { os: string }[] } } }>;
  };
  const job = workflow.jobs['test']!;
  const steps = job.steps;
  const runs = (command: string) => steps.filter((step) => step.run?.includes(command));

  it("is a valid workflow for GitHub's schema (action-validator), which does catch a broken one", () => {
    expect(validateWorkflow(source).errors).toEqual([]);
    expect(validateWorkflow(source.replace('runs-on:', 'runs_on:')).errors).not.toEqual([]);
  });

  it('runs on Linux, macOS and Windows with Node 24, read-only, one run per ref, within a time limit', () => {
    expect(job.strategy.matrix.include.map((entry) => entry.os)).toEqual([
      'ubuntu-latest',
      'macos-latest',
      'windows-latest',
    ]);
    expect(workflow['permissions']).toEqual({ contents: 'read' });
    expect(workflow['concurrency']).toMatchObject({ group: expect.stringContaining('github.ref') });
    expect(job['timeout-minutes']).toEqual(expect.any(Number));
    const setupNode = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with).toMatchObject({ 'node-version': 24, cache: 'npm' });
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });

  it('installs with npm ci, runs npm test, the Electron smoke suite (Xvfb on Linux, no skipping) and npm run dist', () => {
    expect(runs('npm ci')).toHaveLength(1);
    expect(steps.findIndex((s) => s.run === 'npm ci')).toBeLessThan(steps.findIndex((s) => s.run === 'npm test'));
    const smoke = runs('npm run test:electron');
    expect(smoke.map((step) => [step.if, step.run, String(step.env?.['SMOKE_REQUIRE_ELECTRON'])])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run -a npm run test:electron', '1'],
      ["runner.os != 'Linux'", 'npm run test:electron', '1'],
    ]);
    const dist = runs('npm run dist');
    expect(dist).toHaveLength(1);
    expect(dist[0]?.env).toEqual({ CSC_IDENTITY_AUTO_DISCOVERY: false });
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.['path'])).toMatch(/^dist\//m);
  });

  it('gives the browser suite a Chromium on every OS', () => {
    expect(job['env']).toEqual({ CHROMIUM_PATH: '${{ matrix.chromium }}' });
    for (const entry of job.strategy.matrix.include as { os: string; chromium?: string }[]) {
      expect(entry.chromium, entry.os).toMatch(/chrom/i);
    }
  });
});

// ---- package.json --------------------------------------------------------------------------------------------------

describe('package.json', () => {
  it('has the two commands the README promises', () => {
    expect(pkg.scripts['start']).toBeDefined();
    expect(pkg.scripts['test']).toContain('vitest run');
  });

  it('has the metadata the installers need, and a script that remakes the icons', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author).toEqual({ name: expect.any(String), email: expect.stringContaining('@') });
    expect(pkg.desktopName).toMatch(/^[a-z0-9-]+\.desktop$/);
    expect(pkg.scripts['icons']).toBe('node --import tsx scripts/make-icons.ts');
  });
});
