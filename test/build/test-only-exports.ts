/**
 * Finds exports of the shipped code that nothing in the shipped code uses: values (functions, classes,
 * constants) exported from main/, preload/ or renderer/ whose only references are in tests, or nowhere.
 * A test-only export means the tests prove something the app does not run (issue: "the tested code is
 * not the shipped code"). Svelte components are read for their imports, since the TypeScript program
 * does not load them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface Unused {
  file: string;
  name: string;
}

function filesUnder(dir: string, ends: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, ends));
    else if (ends.some((e) => entry.name.endsWith(e))) out.push(path);
  }
  return out;
}

/** `import { a, b as c } from './x'` in a Svelte component's script, resolved to files. */
function svelteImports(file: string): { module: string; name: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { module: string; name: string }[] = [];
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"](\.[^'"]+)['"]/g)) {
    const base = resolve(dirname(file), m[2]!);
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name) found.push({ module: base, name });
    }
  }
  return found;
}

const sameModule = (file: string, module: string) => file.replace(/\.ts$/, '') === module.replace(/\.(ts|js)$/, '');

/**
 * Every value export under `sourceDirs` (relative to `root`) that no file under `sourceDirs` uses, nor one of
 * `buildFiles` (what builds the app, such as its Vite config). `tsconfig` is the project that includes the
 * sources and the tests.
 */
export function testOnlyExports(
  root: string,
  sourceDirs: readonly string[],
  tsconfig: string,
  buildFiles: readonly string[] = [],
): Unused[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(root, tsconfig),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`Cannot read ${tsconfig}`);
  const isSource = (file: string) => sourceDirs.some((d) => resolve(file).startsWith(resolve(root, d) + sep));
  const builders = new Set(buildFiles.map((f) => resolve(root, f)));
  const isConsumer = (file: string) => isSource(file) || builders.has(resolve(file));
  // Source folders the project leaves to another tsconfig (the renderer's) are added as they are.
  const fileNames = [
    ...new Set([
      ...config.fileNames.map((f) => resolve(f)),
      ...sourceDirs.flatMap((d) => filesUnder(resolve(root, d), ['.ts'])),
    ]),
  ];
  const sources = fileNames.filter((f) => isSource(f));
  const files = new Map(fileNames.map((f) => [f, readFileSync(f, 'utf8')]));
  const service = ts.createLanguageService(
    {
      getCompilationSettings: () => config.options,
      getScriptFileNames: () => [...files.keys()],
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => {
        const text = files.get(resolve(f)) ?? ts.sys.readFile(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => root,
      getDefaultLibFileName: ts.getDefaultLibFilePath,
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    },
    ts.createDocumentRegistry(),
  );
  const program = service.getProgram()!;
  const checker = program.getTypeChecker();
  const fromSvelte = sourceDirs
    .flatMap((d) => filesUnder(resolve(root, d), ['.svelte']))
    .flatMap((f) => svelteImports(f));

  const unused: Unused[] = [];
  for (const file of sources) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!source || !moduleSymbol) continue;
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if (!(target.flags & ts.SymbolFlags.Value)) continue;
      const declaration = symbol.declarations?.[0];
      if (!declaration || declaration.getSourceFile() !== source) continue;
      const name = symbol.getName();
      if (fromSvelte.some((i) => i.name === name && sameModule(resolve(file), i.module))) continue;
      const position = (ts.getNameOfDeclaration(declaration) ?? declaration).getStart();
      const references = (service.findReferences(file, position) ?? []).flatMap((r) => r.references);
      const usedInSource = references.some((r) => {
        if (r.isDefinition || !isConsumer(r.fileName)) return false;
        // An `export { x }` or `export ... from` line is not a use.
        const node = findNode(program.getSourceFile(r.fileName)!, r.textSpan.start);
        return !node || !isExportSpecifier(node);
      });
      if (!usedInSource) unused.push({ file: relative(root, file).split(sep).join('/'), name });
    }
  }
  return unused;
}

function findNode(source: ts.SourceFile, position: number): ts.Node | undefined {
  const visit = (node: ts.Node): ts.Node | undefined =>
    position >= node.getStart(source) && position < node.getEnd() ? (ts.forEachChild(node, visit) ?? node) : undefined;
  return visit(source);
}

function isExportSpecifier(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isExportSpecifier(n) || ts.isExportDeclaration(n)) return true;
    if (ts.isStatement(n)) return false;
  }
  return false;
}
